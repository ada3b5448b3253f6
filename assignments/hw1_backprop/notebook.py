"""Source of this homework's notebook (the manifest's `notebook`), built by assignments/notebooks_src/make_notebooks.py."""

from notebook_cells import GRADCHECK, GRADCHECK_MD, check_cell, code, md, setup

CELLS = [
    md(
        r"""
        # Homework 1: gates, the sigmoid neuron, Jacobians and backpropagation

        You write the functions in the `nnkit/` folder next to this notebook
        (`gates.py`, `activations.py`, `jacobians.py`, `layers.py`); `pytest` in this
        folder runs the public tests. This notebook **uses your code**: it walks through the
        lecture's examples, checks every gradient you wrote numerically and plots the
        activation functions. Re-run it whenever you change a module.

        Two small exercises are done right here, in the cells that say `# YOUR CODE HERE`.
        Nothing after them depends on them.
        """
    ),
    setup("gates, activations, jacobians, layers"),
    GRADCHECK_MD,
    GRADCHECK,
    md(
        r"""
        ## 1. One node: the sigmoid neuron

        The lecture's neuron with $d = 3$, $\bar w = (w_0, w_1, w_2)$ and $\bar X = (1, x_1, x_2)$:

        $$f(\bar X, \bar w) = \sigma(\bar X \cdot \bar w) = \frac{1}{1 + \exp(-(w_0 + w_1 x_1 + w_2 x_2))}$$

        is the probability that the neuron fires. As a computational graph it is two
        **mul** gates ($w_1 x_1$, $w_2 x_2$), two **add** gates and a **sigmoid** block. With

        $$\frac{d\sigma(y)}{dy} = \frac{e^{-y}}{(1 + e^{-y})^2} = \sigma(y)\,(1 - \sigma(y))$$

        backpropagation through the sigmoid block $q = \sigma(y)$ is
        $\frac{\partial L}{\partial y} = \frac{\partial L}{\partial q}\,\frac{\partial q}{\partial y}$,
        where $\frac{\partial L}{\partial q}$ comes from the next layer.

        Below: forward through your gates with $\bar w = (-3, 2, -3)$ and $\bar X = (1, -1, -2)$,
        then backward, gate by gate, from $\frac{\partial L}{\partial q} = 1$ (that is, $L = f$).
        """
    ),
    code(
        '''
        w0, w1, w2 = np.array(-3.0), np.array(2.0), np.array(-3.0)
        x1, x2 = np.array(-1.0), np.array(-2.0)

        # forward, one gate at a time
        p1 = gates.mul_forward(w1, x1)          # w1 x1
        p2 = gates.mul_forward(w2, x2)          # w2 x2
        s = gates.add_forward(p1, p2)           # w1 x1 + w2 x2
        y = gates.add_forward(w0, s)            # w0 + w1 x1 + w2 x2
        f = activations.sigmoid_forward(y)      # sigma(y)
        print(f"y = {float(y):.4f}   f = sigma(y) = {float(f):.4f}")

        # backward, in the reverse order, starting from dL/df = 1
        dy = activations.sigmoid_backward(np.array(1.0), y)
        dw0, ds = gates.add_backward(dy, w0, s)     # add: distributes dy to both inputs
        dp1, dp2 = gates.add_backward(ds, p1, p2)
        dw1, dx1 = gates.mul_backward(dp1, w1, x1)  # mul: each input gets dout times the other one
        dw2, dx2 = gates.mul_backward(dp2, w2, x2)
        by_gates = np.array([dw0, dw1, dw2], dtype=float)
        print("dL/dw through the gates:  ", by_gates)

        # the same neuron in one call: x's first feature is the constant 1
        X = np.array([1.0, float(x1), float(x2)])
        w = np.array([float(w0), float(w1), float(w2)])
        dX, dw = gates.neuron_backward(np.array(1.0), X, w)
        print("dL/dw from neuron_backward:", dw)
        print("dL/dx from neuron_backward:", dX, "(its first entry is for the constant 1)")
        print(f"gates vs neuron_backward: rel. error {rel_error(by_gates, dw):.1e}")
        '''
    ),
    md(
        r"""
        **Exercise 1 (by hand).** Using only numpy and the formulas above (not your `nnkit`
        functions), compute $y = \bar X \cdot \bar w$, $\sigma(y)$, the local gradient
        $\sigma(y)(1 - \sigma(y))$ and from it $\nabla_{\bar w} f$ and $\nabla_{\bar X} f$.
        Name them `sig`, `grad_w` and `grad_X`; the lines after the exercise compare them
        with your `neuron_forward` / `neuron_backward`.
        """
    ),
    code(
        '''
        ### BEGIN SOLUTION
        sig = 1 / (1 + np.exp(-np.dot(X, w)))
        local = sig * (1 - sig)          # d sigma / dy
        grad_w = local * X               # dy/dw = X
        grad_X = local * w               # dy/dX = w
        ### END SOLUTION
        print("sigma(y) =", sig, " grad_w =", grad_w, " grad_X =", grad_X)
        assert np.isclose(sig, gates.neuron_forward(X, w)), "sigma(y) differs from neuron_forward"
        assert np.allclose(grad_w, dw) and np.allclose(grad_X, dX), "differs from neuron_backward"
        print("your hand computation agrees with neuron_backward")
        '''
    ),
    check_cell("1.2"),
    md(
        r"""
        ## 2. The gate rules

        Each gate passes back the upstream gradient $\frac{\partial L}{\partial q}$ times its
        local gradient, $\frac{\partial L}{\partial w} = \frac{\partial L}{\partial q}\,\frac{\partial q}{\partial w}$:

        | gate | forward $q$ | $\frac{\partial L}{\partial x}$ | $\frac{\partial L}{\partial y}$ | the lecture's name |
        |---|---|---|---|---|
        | add | $x + y$ | $\frac{\partial L}{\partial q}$ | $\frac{\partial L}{\partial q}$ | gradient **distributor** |
        | mul | $x\,y$ | $\frac{\partial L}{\partial q}\,y$ | $\frac{\partial L}{\partial q}\,x$ | gradient **switcher** |
        | max | $\max(x, y)$ | $\frac{\partial L}{\partial q}\,[x \ge y]$ | $\frac{\partial L}{\partial q}\,[y > x]$ | gradient **router** |

        (On a tie the max gate gives the gradient to $x$.) Your gates on a few numbers:
        """
    ),
    code(
        '''
        x = np.array([1.0, -2.0, 3.0, 0.5])
        y = np.array([4.0, -1.0, 3.0, -0.5])
        dout = np.array([10.0, 20.0, 30.0, 40.0])
        for name in ("add", "mul", "max"):
            forward, backward = getattr(gates, f"{name}_forward"), getattr(gates, f"{name}_backward")
            dx, dy = backward(dout, x, y)
            print(f"{name}: q = {forward(x, y)}   dL/dx = {dx}   dL/dy = {dy}")
        '''
    ),
    check_cell("1.1"),
    md(
        r"""
        ## 3. Check every gradient you wrote

        Each backward function of `gates`, `activations`, `layers` and `jacobians` against
        central differences of its forward function, at random points (the kinks of ReLU,
        leaky ReLU and max, where the derivative does not exist, are avoided).
        A line that says *look at this one* is a bug in that backward function
        (or in its forward).
        """
    ),
    code(
        '''
        rng = np.random.default_rng(0)
        a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
        z = rng.normal(size=(5, 6))
        z[np.abs(z) < 1e-3] = 0.5        # stay away from the kink at 0
        X_batch, W, bias = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=5)
        X_neuron = np.hstack([np.ones((4, 1)), rng.uniform(0.5, 2.0, size=(4, 2))])  # first feature: 1
        w_neuron = rng.normal(size=3)
        x_vec = rng.normal(size=3)

        rows = []
        rows += backward_rows("gates.add", gates.add_forward, gates.add_backward, x=a, y=b)
        rows += backward_rows("gates.mul", gates.mul_forward, gates.mul_backward, x=a, y=b)
        rows += backward_rows("gates.max", gates.max_forward, gates.max_backward, x=a, y=b)
        rows += backward_rows("gates.neuron", gates.neuron_forward, gates.neuron_backward, x=X_neuron, w=w_neuron)
        for name in ("sigmoid", "tanh", "relu", "leaky_relu"):
            rows += backward_rows(f"activations.{name}", getattr(activations, f"{name}_forward"),
                                  getattr(activations, f"{name}_backward"), x=z)
        rows += backward_rows("activations.leaky_relu(alpha=0.2)",
                              lambda v: activations.leaky_relu_forward(v, alpha=0.2),
                              lambda d, v: activations.leaky_relu_backward(d, v, alpha=0.2), x=z)
        rows += backward_rows("layers.linear", layers.linear_forward, layers.linear_backward,
                              x=X_batch, W=W, b=bias)
        rows += backward_rows("jacobians.linear_l2", jacobians.linear_l2_forward,
                              jacobians.linear_l2_backward, W=W, x=x_vec)
        worst = gradient_table(rows)
        '''
    ),
    md(
        r"""
        ## 4. Vector outputs: the Jacobian

        For $f: \mathbb{R}^d \to \mathbb{R}^m$ and a real-valued loss $L$, the chain rule reads

        $$\frac{\partial L}{\partial \mathbf{x}} = \frac{\partial \mathbf{f}}{\partial \mathbf{x}}\,\frac{\partial L}{\partial \mathbf{f}},
        \qquad
        \frac{\partial \mathbf{f}}{\partial \mathbf{x}} := \begin{bmatrix} \frac{\partial f_1}{\partial x_1} & \cdots & \frac{\partial f_m}{\partial x_1} \\ \vdots & \ddots & \vdots \\ \frac{\partial f_1}{\partial x_d} & \cdots & \frac{\partial f_m}{\partial x_d} \end{bmatrix}$$

        with the gradient $\frac{\partial L}{\partial \mathbf{f}}$ of size $m \times 1$ and the
        Jacobian of size $d \times m$: row $i$ holds the derivatives of every output with
        respect to $x_i$, and entry by entry
        $\frac{\partial L}{\partial x_i} = \sum_{j=1}^m \frac{\partial L}{\partial f_j}\,\frac{\partial f_j}{\partial x_i}$.

        A quick test of the layout: for $\mathbf f(\mathbf x) = W\mathbf x$ with $W$ of size
        $m \times d$, $\frac{\partial f_j}{\partial x_i} = W_{ji}$, so the Jacobian is $W^T$.
        """
    ),
    code(
        '''
        rng = np.random.default_rng(1)
        W = rng.normal(size=(2, 4))                 # m = 2 outputs, d = 4 inputs
        x = rng.normal(size=4)
        J = jacobians.numerical_jacobian(lambda v: W @ v, x)
        print("numerical Jacobian of x -> Wx has shape", J.shape, "(d x m)")
        print("it equals W.T:", np.allclose(J, W.T, atol=1e-6))
        '''
    ),
    md(
        r"""
        ### The Jacobian of ReLU

        $f(\mathbf x) = \max\{0, \mathbf x\}$ elementwise, $f: \mathbb{R}^d \to \mathbb{R}^d$. Its
        Jacobian is $d \times d$ but diagonal: $\frac{\partial f_j}{\partial x_i} = [i = j]\,[x_i > 0]$.
        That structure is why `relu_backward` never builds it: multiplying by a diagonal matrix
        is an elementwise product, $O(d)$ instead of $O(d^2)$.
        """
    ),
    code(
        '''
        rng = np.random.default_rng(2)
        x = rng.normal(size=6)
        dL_df = rng.normal(size=6)
        J_numeric = jacobians.numerical_jacobian(activations.relu_forward, x)
        J_relu = jacobians.relu_jacobian(x)
        print("relu_jacobian(x):")
        print(J_relu)
        print(f"numerical vs relu_jacobian: rel. error {rel_error(J_relu, J_numeric):.1e}")

        via_jacobian = jacobians.chain_rule(J_relu, dL_df)    # (df/dx) (dL/df), a d x d product
        via_backward = activations.relu_backward(dL_df, x)    # the same thing, elementwise
        print("chain rule with the Jacobian:", via_jacobian)
        print("relu_backward:               ", via_backward)
        print(f"rel. error {rel_error(via_jacobian, via_backward):.1e}")
        '''
    ),
    check_cell("1.4"),
    md(
        r"""
        ## 5. A linear transformation: $L(\mathbf x, W) = \|W\mathbf x\|_2^2$

        For an $m \times d$ matrix $W$ and $\mathbf x \in \mathbb{R}^d$, let $\mathbf q = W\mathbf x$, so
        $L = \sum_i q_i^2 = \mathbf q^T\mathbf q$ and $\nabla_{\mathbf q} L = 2\mathbf q$. The chain rule gives

        $$\frac{\partial L}{\partial x_j} = \sum_i 2 q_i \frac{\partial q_i}{\partial x_j} = \sum_i 2 q_i W_{ij}
        \quad\Rightarrow\quad \nabla_{\mathbf x} L = 2 W^T \mathbf q,$$

        $$\frac{\partial L}{\partial W_{jk}} = \sum_i 2 q_i \frac{\partial q_i}{\partial W_{jk}} = 2 q_j x_k
        \quad\Rightarrow\quad \nabla_W L = 2\,\mathbf q\,\mathbf x^T.$$

        The gradient always has the shape of what it is taken with respect to: $d$ for
        $\mathbf x$, $m \times d$ for $W$.

        **Exercise 2.** Write the two formulas in numpy (`grad_x`, `grad_W`, for the `W` and `x`
        below); the lines after the exercise compare them with central differences.
        """
    ),
    code(
        '''
        rng = np.random.default_rng(3)
        W = rng.normal(size=(3, 4))
        x = rng.normal(size=4)
        ### BEGIN SOLUTION
        q_hand = W.dot(x)
        grad_x = 2 * W.T.dot(q_hand)
        grad_W = 2 * np.outer(q_hand, x)
        ### END SOLUTION
        numeric_x = numeric_gradient(lambda v: np.sum((W @ v) ** 2), x)
        numeric_W = numeric_gradient(lambda M: np.sum((M @ x) ** 2), W)
        print(f"grad_x: rel. error {rel_error(grad_x, numeric_x):.1e}")
        print(f"grad_W: rel. error {rel_error(grad_W, numeric_W):.1e}")
        assert rel_error(grad_x, numeric_x) < 1e-6 and rel_error(grad_W, numeric_W) < 1e-6
        '''
    ),
    md(
        r"""
        Your `linear_l2_forward` / `linear_l2_backward` compute the same thing (they were in the
        table above); here is the check on its own, with the lecture's formulas as the answer:
        """
    ),
    code(
        '''
        rng = np.random.default_rng(3)
        W = rng.normal(size=(3, 4))
        x = rng.normal(size=4)
        dW, dx = jacobians.linear_l2_backward(1.0, W, x)
        lecture_dx = 2 * W.T @ (W @ x)                 # 2 W^T q
        lecture_dW = 2 * np.outer(W @ x, x)            # 2 q x^T
        print(f"L = ||Wx||^2 = {float(jacobians.linear_l2_forward(W, x)):.4f}")
        print(f"dx vs 2 W^T q: rel. error {rel_error(dx, lecture_dx):.1e}   "
              f"vs numeric: {rel_error(dx, numeric_gradient(lambda v: jacobians.linear_l2_forward(W, v), x)):.1e}")
        print(f"dW vs 2 q x^T: rel. error {rel_error(dW, lecture_dW):.1e}   "
              f"vs numeric: {rel_error(dW, numeric_gradient(lambda M: jacobians.linear_l2_forward(M, x), W)):.1e}")
        '''
    ),
    check_cell("1.5"),
    md(
        r"""
        ## 6. Activation functions and their derivatives

        Sigmoid $\sigma(y) = \frac{1}{1 + e^{-y}}$, $\tanh y = \frac{e^y - e^{-y}}{e^y + e^{-y}}$,
        $\mathrm{ReLU}(y) = \max(0, y)$ and leaky ReLU $\max(\alpha y, y)$. The derivatives below
        are your backward functions with $\frac{\partial L}{\partial f} = 1$. Note how sigmoid and
        tanh **saturate**: for large $|y|$ the derivative is almost 0 and kills the gradient
        flowing back; the sigmoid is also not centred at 0. ReLU does not saturate for $y > 0$
        and is fast to compute.
        """
    ),
    code(
        '''
        y = np.linspace(-5, 5, 401)
        ones = np.ones_like(y)
        curves = {
            "sigmoid": (activations.sigmoid_forward(y), activations.sigmoid_backward(ones, y)),
            "tanh": (activations.tanh_forward(y), activations.tanh_backward(ones, y)),
            "ReLU": (activations.relu_forward(y), activations.relu_backward(ones, y)),
            "leaky ReLU (alpha=0.1)": (activations.leaky_relu_forward(y, alpha=0.1),
                                       activations.leaky_relu_backward(ones, y, alpha=0.1)),
        }
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        for label, (value, slope) in curves.items():
            left.plot(y, value, label=label)
            right.plot(y, slope, label=label)
        left.set(title="activation f(y)", xlabel="y", ylim=(-1.5, 3))
        right.set(title="derivative df/dy (your backward)", xlabel="y")
        for ax in (left, right):
            ax.axhline(0, color="gray", lw=0.5)
            ax.legend()
        plt.show()
        '''
    ),
    check_cell("1.3"),
    md(
        r"""
        ## 7. One layer, many inputs

        A layer applies the linear transformation to a whole batch at once, one input per row:
        `out = x @ W.T + b` with `x` of shape $(N, d)$, $W$ of shape $(m, d)$ and `b` of shape
        $(m,)$; followed by a non-linearity it is the lecture's
        $\mathbf o = \max\{0, W\mathbf x\}$, and layers cascade into
        $\mathbf o = W_2 \max\{0, W_1\mathbf x\}$. Your `linear_backward` was checked in section 3;
        here is the two-layer ReLU network's gradient with respect to the input, composed from
        your own pieces, against central differences:
        """
    ),
    code(
        '''
        rng = np.random.default_rng(4)
        x = rng.normal(size=(2, 4))
        W1, b1 = rng.normal(size=(5, 4)), rng.normal(size=5)
        W2, b2 = rng.normal(size=(3, 5)), rng.normal(size=3)

        def two_layer(inp):
            hidden = activations.relu_forward(layers.linear_forward(inp, W1, b1))
            return layers.linear_forward(hidden, W2, b2)

        dout = rng.normal(size=(2, 3))
        h1 = layers.linear_forward(x, W1, b1)
        dh, _, _ = layers.linear_backward(dout, activations.relu_forward(h1), W2, b2)
        dx, _, _ = layers.linear_backward(activations.relu_backward(dh, h1), x, W1, b1)
        print(f"dL/dx of W2 max(0, W1 x + b1) + b2: rel. error {rel_error(dx, numeric_gradient(two_layer, x, dout)):.1e}")
        '''
    ),
    check_cell("1.6"),
]
