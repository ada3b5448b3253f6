"""Source of this homework's notebook (the manifest's `notebook`), built by assignments/notebooks_src/make_notebooks.py."""

from notebook_cells import DIGITS, GRADCHECK, GRADCHECK_MD, check_cell, code, md, setup

CELLS = [
    md(
        r"""
        # Homework 3: convolution, pooling and a small CNN

        You write `nnkit/conv.py`; `activations`, `layers` and `losses` come along as stubs
        again, fill them with your own code from homeworks 1 and 2 (the CNN uses them).
        `pytest` in this folder runs the public tests.

        The lecture's primer: a convolutional layer slides small filters over the image, so
        that one simple step of convolution is a dot product between a $5\times5\times3$ filter
        and a $5\times5\times3$ chunk of a $32\times32\times3$ image, plus a bias. This notebook
        checks your convolution against a plain loop, checks its gradients numerically, and
        trains a small CNN on the 8×8 handwritten digits, then looks at the filters it learned.

        One small exercise is done right here, in the cell that says `# YOUR CODE HERE`.
        Nothing after it depends on it.
        """
    ),
    setup("conv"),
    GRADCHECK_MD,
    GRADCHECK,
    md(
        r"""
        ## 1. The output size

        A filter of size $F$ slid with stride $S$ over an input of size $W$ padded with $P$ zeros
        on each side fits

        $$W_{\text{out}} = \frac{W - F + 2P}{S} + 1$$

        times along that axis. The geometry must divide evenly: a filter cannot hang over
        the edge. The lecture's $32\times32\times3$ image and $5\times5\times3$ filter:
        """
    ),
    code(
        '''
        print("32 wide, 5x5 filter, stride 1, pad 0 ->", conv.conv_output_size(32, 5))
        print("32 wide, 5x5 filter, stride 1, pad 2 ->", conv.conv_output_size(32, 5, stride=1, pad=2))
        print("8 wide (a digit), 3x3 filter, pad 1  ->", conv.conv_output_size(8, 3, stride=1, pad=1))
        try:
            conv.conv_output_size(32, 5, stride=2)
        except ValueError as err:
            print("32 wide, 5x5 filter, stride 2       -> ValueError:", err)
        '''
    ),
    check_cell("3.1"),
    md(
        r"""
        ## 2. Convolution forward

        With $N$ images of $C$ channels, $F$ filters of size $C \times HH \times WW$, stride $s$ and
        the input zero-padded by $P$:

        $$\text{out}[n, f, i, j] = b_f + \sum_{c}\sum_{k < HH}\sum_{l < WW} x_{\text{pad}}[n, c,\ i s + k,\ j s + l]\; w[f, c, k, l]$$

        (a cross-correlation: the filter is not flipped, as in every deep-learning library).

        **Exercise.** Write this formula as plain loops (`for n`, `for f`, `for i`, `for j`) for the
        tiny example below and store it in `out_loop`; the lines after the exercise compare it with
        your `conv_forward`, which should be vectorised and therefore much faster.
        """
    ),
    code(
        '''
        rng = np.random.default_rng(0)
        x = rng.normal(size=(2, 3, 5, 5))
        w = rng.normal(size=(4, 3, 3, 3))
        b = rng.normal(size=4)
        stride, pad = 2, 1
        H_out = conv.conv_output_size(5, 3, stride, pad)
        ### BEGIN SOLUTION
        padded = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
        out_loop = np.zeros((2, 4, H_out, H_out))
        for n in range(2):
            for f in range(4):
                for i in range(H_out):
                    for j in range(H_out):
                        window = padded[n, :, i * stride:i * stride + 3, j * stride:j * stride + 3]
                        out_loop[n, f, i, j] = np.sum(window * w[f]) + b[f]
        ### END SOLUTION
        out = conv.conv_forward(x, w, b, stride=stride, pad=pad)
        print("conv_forward output shape", out.shape, f"  vs the loop: rel. error {rel_error(out, out_loop):.1e}")
        assert np.allclose(out, out_loop)
        '''
    ),
    md(
        r"""
        Seen as a filter, a convolution does something recognisable: a vertical-edge filter
        $\begin{bmatrix} 1 & 0 & -1 \end{bmatrix}$ (repeated on three rows) responds where the
        brightness changes from left to right. On a digit:
        """
    ),
    DIGITS,
    code(
        '''
        image = X_train[0].reshape(1, 1, 8, 8)
        edges = np.array([[1.0, 0.0, -1.0]] * 3).reshape(1, 1, 3, 3)
        response = conv.conv_forward(image, edges, np.zeros(1), stride=1, pad=1)
        fig, (left, right) = plt.subplots(1, 2, figsize=(6, 3))
        left.imshow(image[0, 0], cmap="gray_r")
        left.set(title=f"a {y_train[0]}", xticks=[], yticks=[])
        right.imshow(response[0, 0], cmap="RdBu")
        right.set(title="vertical-edge filter response", xticks=[], yticks=[])
        plt.show()
        '''
    ),
    check_cell("3.2"),
    md(
        r"""
        ## 3. Gradients of convolution and max pooling

        The backward pass of a convolution is again a convolution: $\frac{\partial L}{\partial w}$
        correlates the input with the upstream gradient, $\frac{\partial L}{\partial x}$ spreads the
        upstream gradient back through the filter, and $\frac{\partial L}{\partial b_f}$ sums the
        upstream gradient over $n, i, j$. Max pooling routes each upstream gradient to the position of
        the maximum of its window, like the max gate of homework 1. Checked against central
        differences, for several strides and paddings:
        """
    ),
    code(
        '''
        rng = np.random.default_rng(1)
        rows = []
        for stride, pad in [(1, 0), (1, 1), (2, 1)]:
            x = rng.normal(size=(2, 2, 5, 5))
            w = rng.normal(size=(3, 2, 3, 3))
            b = rng.normal(size=3)
            rows += backward_rows(f"conv stride={stride} pad={pad}",
                                  lambda x_, w_, b_: conv.conv_forward(x_, w_, b_, stride, pad),
                                  lambda d, x_, w_, b_: conv.conv_backward(d, x_, w_, b_, stride, pad),
                                  x=x, w=w, b=b)
        x = rng.normal(size=(2, 3, 4, 6))  # distinct values: the maximum of each window is unique
        rows += backward_rows("max_pool 2x2 stride 2", conv.max_pool_forward, conv.max_pool_backward, x=x)
        rows += backward_rows("max_pool 3x3 stride 1",
                              lambda x_: conv.max_pool_forward(x_, pool=3, stride=1),
                              lambda d, x_: conv.max_pool_backward(d, x_, pool=3, stride=1), x=x)
        worst = gradient_table(rows)
        '''
    ),
    check_cell("3.3", "3.4"),
    md(
        r"""
        ## 4. A small CNN

        conv ($F$ filters $k \times k$, stride 1, padding $(k-1)/2$, which keeps $8\times8$) → ReLU
        → $2\times2$ max-pool → linear → softmax cross-entropy, plus
        $\mathrm{reg}\,(\lVert W_1\rVert^2 + \lVert W_2\rVert^2)$. Its gradients on a tiny version:
        """
    ),
    code(
        '''
        rng = np.random.default_rng(2)
        tiny = conv.init_cnn((2, 4, 4), num_filters=3, filter_size=3, num_classes=4, seed=2)
        tiny = {k: v + 0.1 * rng.normal(size=v.shape) for k, v in tiny.items()}  # non-zero biases too
        X_tiny, y_tiny = rng.normal(size=(3, 2, 4, 4)), rng.integers(0, 4, size=3)
        worst = gradient_table(param_rows("cnn", lambda p: conv.cnn_loss_and_grads(p, X_tiny, y_tiny, reg=0.05), tiny))
        '''
    ),
    check_cell("3.5"),
    md(
        r"""
        ## 5. Training it on the digits

        The images as $(N, 1, 8, 8)$, 8 filters of $3\times3$, 10 classes. Minibatch SGD with the
        lecture's momentum, $\mathbf W(j+1) = \mathbf W(j) - \eta\nabla L + \gamma(\mathbf W(j) - \mathbf W(j-1))$,
        written out here (this homework does not ship `optim`). A handful of epochs is enough;
        with a vectorised `conv_forward` / `conv_backward` it takes a few seconds (a version
        with Python loops over every pixel will be much slower: lower `epochs` while you debug).
        """
    ),
    code(
        '''
        images_train = X_train.reshape(-1, 1, 8, 8)
        images_test = X_test.reshape(-1, 1, 8, 8)
        params = conv.init_cnn((1, 8, 8), num_filters=8, filter_size=3, num_classes=10, seed=0)
        previous = dict(params)
        lr, gamma, reg, batch, epochs = 0.05, 0.9, 1e-4, 32, 4
        shuffle = np.random.default_rng(0)
        history = []
        for epoch in range(1, epochs + 1):
            order = shuffle.permutation(len(images_train))
            for first in range(0, len(order), batch):
                idx = order[first:first + batch]
                loss, grads = conv.cnn_loss_and_grads(params, images_train[idx], y_train[idx], reg=reg)
                history.append(loss)
                stepped = {k: params[k] - lr * grads[k] + gamma * (params[k] - previous[k]) for k in params}
                previous, params = params, stepped
            print(f"epoch {epoch}: mean minibatch loss {np.mean(history[-len(order) // batch:]):.3f}")

        def cnn_accuracy(params, images, labels):
            return float(np.mean(np.argmax(conv.cnn_forward(params, images), axis=1) == labels))

        print(f"train accuracy: {cnn_accuracy(params, images_train, y_train):.3f}")
        print(f"test accuracy: {cnn_accuracy(params, images_test, y_test):.3f}")
        '''
    ),
    md(
        r"""
        ## 6. What did the first layer learn?

        Each of the 8 filters of $W_1$ drawn as a $3\times3$ image (red positive, blue negative,
        one colour scale for all), next to the training loss, and what each filter's ReLU
        responds to on one test digit.
        """
    ),
    code(
        '''
        filters = params["W1"][:, 0]                     # (8, 3, 3)
        scale = np.abs(filters).max()
        fig, axes = plt.subplots(2, 8, figsize=(12, 3.4))
        maps = np.maximum(0, conv.conv_forward(images_test[:1], params["W1"], params["b1"], stride=1, pad=1))
        for col in range(8):
            axes[0, col].imshow(filters[col], cmap="RdBu_r", vmin=-scale, vmax=scale)
            axes[0, col].set(title=f"filter {col}", xticks=[], yticks=[])
            axes[1, col].imshow(maps[0, col], cmap="gray_r")
            axes[1, col].set(xticks=[], yticks=[])
        axes[1, 0].set_ylabel(f"on a {y_test[0]}")
        plt.show()

        fig, ax = plt.subplots(figsize=(7, 3))
        ax.plot(history, lw=0.8)
        ax.set(xlabel="update", ylabel="minibatch loss", yscale="log", title="training the CNN")
        plt.show()
        '''
    ),
]
