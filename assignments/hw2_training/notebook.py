"""Source of this homework's notebook (the manifest's `notebook`), built by assignments/notebooks_src/make_notebooks.py."""

from notebook_cells import DIGITS, GRADCHECK, GRADCHECK_MD, check_cell, code, md, setup

CELLS = [
    md(
        r"""
        # Homework 2: losses, ReLU networks, optimisers and preprocessing

        You write `nnkit/losses.py`, `network.py`, `optim.py` and `preprocess.py`; the
        `activations` and `layers` of homework 1 come along as stubs again, fill them with
        your own code from homework 1. `pytest` in this folder runs the public tests.

        The lecture's recipe: pick the architecture $A(\mathbf W, \bar X)$ (here an L-layer ReLU
        network), pick the loss, then solve $\min_{\mathbf W} L(\mathbf W, S)$ by gradient descent.
        This notebook does all three with **your** code on real data, the 8×8 handwritten
        digits: gradient checks of the losses and of the network, loss curves of six optimisers,
        and the preprocessing steps (centering, PCA, whitening) drawn on a 2-D cloud.

        Two small exercises are done right here, in the cells that say `# YOUR CODE HERE`.
        Nothing after them depends on them.
        """
    ),
    setup("losses, network, optim, preprocess"),
    GRADCHECK_MD,
    GRADCHECK,
    md(
        r"""
        ## 1. Loss functions

        Each loss returns the mean over the batch, $L = \frac1N \sum_i L(A(\mathbf W, \bar X_i), y_i)$,
        and its gradient with respect to the predictions:

        | loss | $L_i$ |
        |---|---|
        | L2 | $\lVert \mathrm{pred}_i - y_i \rVert^2$ |
        | hinge (binary, $y_i \in \{-1, +1\}$) | $\max(0,\ 1 - y_i s_i)$ |
        | multiclass SVM | $\sum_{j \ne y_i} \max(0,\ s_j - s_{y_i} + 1)$ |
        | binary cross-entropy ($y_i \in \{0, 1\}$, logit $z_i$) | $-y_i \log \sigma(z_i) - (1 - y_i)\log(1 - \sigma(z_i))$ |
        | softmax cross-entropy | $-\log \dfrac{e^{s_{y_i}}}{\sum_j e^{s_j}}$ |

        and the L2 regularisation term $\mathrm{reg}\cdot\sum W^2$ is added to the loss.
        The hinge terms pass gradient only where they are strictly positive.
        """
    ),
    code(
        '''
        rng = np.random.default_rng(0)
        N, C = 6, 4
        pred, target = rng.normal(size=(N, C)), rng.normal(size=(N, C))
        scores, labels = rng.normal(size=(N, C)), rng.integers(0, C, size=N)
        margins, signs = rng.normal(size=N), rng.choice([-1.0, 1.0], size=N)
        logits, bits = rng.normal(size=N), rng.integers(0, 2, size=N).astype(float)
        weights = rng.normal(size=(3, 5))

        def loss_row(name, fn, at, *rest):
            """(label, analytic, numeric) for a loss that returns (loss, dpred)."""
            return (name, fn(at, *rest)[1], numeric_gradient(lambda v: fn(v, *rest)[0], at))

        rows = [
            loss_row("losses.l2_loss", losses.l2_loss, pred, target),
            loss_row("losses.hinge_loss", losses.hinge_loss, margins, signs),
            loss_row("losses.svm_loss", losses.svm_loss, scores, labels),
            loss_row("losses.binary_cross_entropy", losses.binary_cross_entropy, logits, bits),
            loss_row("losses.softmax_cross_entropy", losses.softmax_cross_entropy, scores, labels),
            loss_row("losses.l2_regularization", losses.l2_regularization, weights, 0.1),
        ]
        worst = gradient_table(rows)
        '''
    ),
    md(
        r"""
        **Numerically stable.** $e^{1000}$ overflows float64, yet a score of 1000 is a perfectly
        good score. Softmax is unchanged when the same constant is subtracted from every score
        of a row, and $\log(1 + e^{-z})$ can be computed without ever exponentiating a large
        positive number. Your losses must stay finite here:
        """
    ),
    code(
        '''
        huge = np.array([[1000.0, 0.0, -1000.0], [-1000.0, 1000.0, 0.0]])
        print("softmax cross-entropy of huge scores:", losses.softmax_cross_entropy(huge, np.array([0, 2]))[0])
        print("binary cross-entropy of logits +-800:",
              losses.binary_cross_entropy(np.array([800.0, -800.0]), np.array([0.0, 0.0]))[0])
        '''
    ),
    md(
        r"""
        **Exercise 1.** Compute the softmax cross-entropy of `scores` (above) and `labels` by hand
        with numpy, in a way that stays finite for large scores (subtract each row's maximum),
        and name it `ce`. The lines after the exercise compare it with your
        `softmax_cross_entropy`.
        """
    ),
    code(
        '''
        ### BEGIN SOLUTION
        stable = scores - np.max(scores, axis=1, keepdims=True)
        log_probs = stable - np.log(np.sum(np.exp(stable), axis=1, keepdims=True))
        ce = -np.mean(log_probs[np.arange(len(labels)), labels])
        ### END SOLUTION
        print(f"by hand {ce:.6f}   softmax_cross_entropy {losses.softmax_cross_entropy(scores, labels)[0]:.6f}")
        assert np.isclose(ce, losses.softmax_cross_entropy(scores, labels)[0])
        '''
    ),
    check_cell("2.1", "2.2"),
    md(
        r"""
        ## 2. An L-layer ReLU network

        Linear transformations with a ReLU in between, $\mathbf o = W_3 \max\{0, W_2 \max\{0, W_1\mathbf x\}\}$
        (plus biases), scores $\mathbf o$ for each of the $C$ classes, softmax cross-entropy on top and
        $\mathrm{reg}\sum_l \lVert W_l \rVert^2$. Backpropagation goes through the layers in reverse,
        each one turning $\frac{\partial L}{\partial \text{output}}$ into the gradients of its
        parameters and of its input. The whole network's gradient, checked numerically on a
        tiny network:
        """
    ),
    code(
        '''
        rng = np.random.default_rng(1)
        tiny = network.init_params([5, 4, 4, 3], seed=1)
        tiny = {k: v + 0.1 * rng.normal(size=v.shape) for k, v in tiny.items()}  # non-zero biases too
        X_tiny, y_tiny = rng.normal(size=(7, 5)), rng.integers(0, 3, size=7)
        print("parameters: " + ", ".join(f"{k} {v.shape}" for k, v in tiny.items()))
        worst = gradient_table(param_rows("network", lambda p: network.loss_and_grads(p, X_tiny, y_tiny, reg=0.1), tiny))
        '''
    ),
    check_cell("2.3", "2.4"),
    md(
        r"""
        ## 3. The data: handwritten digits

        1797 images of 8×8 pixels, one row of 64 pixel values each, labels 0–9, with the
        course's fixed 80/20 train/test split. The lecture's first preprocessing steps,
        `X -= np.mean(X, axis = 0)` and `X /= np.std(X, axis = 0)`, are your `standardize`;
        the test set is standardised with the **training** statistics (`standardize_with`),
        as anything learned must come from the training set only.
        """
    ),
    DIGITS,
    code(
        '''
        X_tr, mean, std = preprocess.standardize(X_train)
        X_te = preprocess.standardize_with(X_test, mean, std)
        print(f"train features: mean {X_tr.mean():.2e}, std {X_tr.std():.3f} "
              f"({int(np.sum(X_train.std(axis=0) < 1e-8))} constant pixels keep std 1)")

        fig, axes = plt.subplots(1, 10, figsize=(10, 1.3))
        for digit, ax in enumerate(axes):
            ax.imshow(X_train[y_train == digit][0].reshape(8, 8), cmap="gray_r")
            ax.set(title=str(digit), xticks=[], yticks=[])
        plt.show()
        '''
    ),
    md(
        r"""
        ## 4. Gradient descent and its variants

        Descent subtracts the gradient, $\mathbf W(j+1) = \mathbf W(j) - \eta\,\nabla L(\mathbf W, S)\big|_{\mathbf W(j)}$
        (the slides write $+\eta$; a descent step goes *against* the gradient, so in `nnkit` every
        step subtracts, with $\eta > 0$). Full gradient descent adds up
        the gradients of all $n$ points at every step; **SGD** uses one point, **minibatch SGD** a
        random batch $T \subset S$ (tens to hundreds of points), a fresh shuffle each epoch.
        The variants:

        - momentum (the lecture's heavy ball): $\mathbf W(j+1) = \mathbf W(j) - \eta\nabla L|_{\mathbf W(j)} + \gamma\,(\mathbf W(j) - \mathbf W(j-1))$
        - Nesterov: $v \leftarrow \mu v - \eta\nabla L$, $\ \mathbf W \leftarrow \mathbf W - \mu v_{\text{old}} + (1 + \mu) v$
        - RMSProp: $c \leftarrow \rho c + (1 - \rho)\nabla L^2$, $\ \mathbf W \leftarrow \mathbf W - \eta \nabla L / (\sqrt c + \epsilon)$
        - Adam: RMSProp's scaling applied to a momentum average $m$ of the gradient, both bias-corrected.

        **Exercise 2.** One step of the lecture's momentum by hand: from `w_prev`, `w`, gradient
        `g`, $\eta = 0.1$ and $\gamma = 0.9$, compute `w_next`. The lines after the exercise
        compare it with your `momentum_step`.
        """
    ),
    code(
        '''
        w_prev, w, g = np.array([1.0, -2.0]), np.array([0.5, -1.0]), np.array([0.2, 0.4])
        ### BEGIN SOLUTION
        velocity = w - w_prev
        w_next = w - 0.1 * g + 0.9 * velocity
        ### END SOLUTION
        print("by hand:", w_next, "  momentum_step:", optim.momentum_step(w, w_prev, g, 0.1, 0.9))
        assert np.allclose(w_next, optim.momentum_step(w, w_prev, g, 0.1, 0.9))
        '''
    ),
    md(
        r"""
        ### Six optimisers, one network, one plot

        The same network (64 → 64 → 10, the same initial weights) trained by each update rule of
        your `optim.train` for 8 epochs. Full GD makes one update per epoch, the others one per
        minibatch of 64, so the curves are drawn against epochs. The learning rates are each
        rule's usual ones: adaptive methods (RMSProp, Adam) take much smaller $\eta$.
        """
    ),
    code(
        '''
        def loss_fn(params, Xb, yb):
            return network.loss_and_grads(params, Xb, yb, reg=1e-4)

        def accuracy(params, X, y):
            return float(np.mean(network.predict(params, X) == y))

        settings = {
            "gd": dict(lr=0.5),
            "sgd": dict(lr=0.1),
            "momentum": dict(lr=0.02, momentum=0.9),
            "nesterov": dict(lr=0.02, momentum=0.9),
            "rmsprop": dict(lr=2e-3),
            "adam": dict(lr=2e-3),
        }
        start = network.init_params([64, 64, 10], seed=0)
        epochs = 8
        trained, curves = {}, {}
        for name, hyper in settings.items():
            trained[name], curves[name] = optim.train(start, X_tr, y_train, loss_fn, optimizer=name,
                                                      batch_size=64, epochs=epochs, seed=0, **hyper)
            print(f"{name:>9}: {len(curves[name]):4d} updates, final loss {curves[name][-1]:.3f}, "
                  f"accuracy on the test set {accuracy(trained[name], X_te, y_test):.3f}")

        fig, ax = plt.subplots(figsize=(8, 4.5))
        for name, curve in curves.items():
            # minibatch losses are noisy: draw their running mean over 8 updates (a third of an epoch)
            width = 1 if name == "gd" else 8
            smooth = np.convolve(curve, np.ones(width) / width, mode="valid")
            ax.plot(np.arange(width, len(curve) + 1) * epochs / len(curve), smooth, label=name,
                    lw=2 if name == "gd" else 1.2)
        ax.set(xlabel="epoch", ylabel="training loss", yscale="log",
               title="one network, six update rules (minibatch losses, running mean)")
        ax.legend()
        plt.show()
        '''
    ),
    md(
        r"""
        ### Test accuracy

        The network trained with Adam, evaluated once on the 359 held-out test images,
        with a per-class view of what it gets right:
        """
    ),
    code(
        '''
        best = trained["adam"]
        predicted = network.predict(best, X_te)
        print(f"test accuracy: {accuracy(best, X_te, y_test):.3f}")
        per_class = [float(np.mean(predicted[y_test == c] == c)) for c in range(10)]
        print("per digit:", " ".join(f"{c}:{a:.2f}" for c, a in enumerate(per_class)))
        '''
    ),
    check_cell("2.5", "2.6"),
    md(
        r"""
        ## 5. Preprocessing: centering, PCA and whitening

        Beyond centering and scaling, the lecture mentions **PCA** and **whitening**. With the
        covariance $C = \frac1N X_c^T X_c$ of the centred data and its eigen-decomposition
        $C = U \Lambda U^T$ (eigenvectors in the columns of $U$, decreasing eigenvalues):

        - centred: $X_c = X - \mu$ — the cloud moves to the origin;
        - PCA: $Z = X_c U$ — rotated so that the axes are the directions of largest variance, the covariance becomes diagonal $\Lambda$;
        - whitened: $Z \Lambda^{-1/2}$ — each direction scaled to variance 1, covariance $I$;
        - ZCA: $Z \Lambda^{-1/2} U^T$ — whitened, then rotated back: covariance $I$, yet as close as possible to the original data.

        On a correlated 2-D Gaussian cloud, with the covariance printed above each panel:
        """
    ),
    code(
        '''
        rng = np.random.default_rng(0)
        cloud = rng.multivariate_normal([4.0, 2.0], [[3.0, 1.6], [1.6, 1.2]], size=400)
        views = {
            "raw": cloud,
            "centred": preprocess.center(cloud)[0],
            "PCA-rotated": preprocess.pca(cloud, 2)[0],
            "whitened": preprocess.whiten(cloud),
            "ZCA-whitened": preprocess.zca_whiten(cloud),
        }
        fig, axes = plt.subplots(1, len(views), figsize=(17, 3.8))
        for ax, (name, data) in zip(axes, views.items()):
            cov = np.cov(data, rowvar=False, bias=True)
            ax.scatter(data[:, 0], data[:, 1], s=4, alpha=0.5, c=cloud[:, 0], cmap="viridis")
            ax.axhline(0, color="gray", lw=0.5)
            ax.axvline(0, color="gray", lw=0.5)
            ax.set(xlim=(-6, 9), ylim=(-6, 9), aspect="equal")
            ax.set_title(f"{name}\\ncov [[{cov[0, 0]:.2f}, {cov[0, 1]:.2f}], [{cov[1, 0]:.2f}, {cov[1, 1]:.2f}]]",
                         fontsize=9)
            print(f"{name:>13}: mean {data.mean(axis=0).round(3)}, covariance {cov.round(3).tolist()}")
        plt.show()
        whitened_cov = np.cov(views["whitened"], rowvar=False, bias=True)
        print(f"whitened covariance is the identity: max |C - I| = {np.abs(whitened_cov - np.eye(2)).max():.1e}")
        '''
    ),
    md(
        r"""
        The colour follows each point's original $x_1$: PCA rotates (and may flip) the cloud,
        ZCA keeps its orientation. Whitening the digits themselves is one line more, but the
        constant border pixels have variance 0: that is what `eps` in `whiten(X, eps)` is for.
        """
    ),
    check_cell("2.7", "2.8"),
]
