"""``nnkit new HW``: scaffold a homework folder that releases, grades and audits as it is.

One example question (feature-wise scaling, ``out[n, d] = x[n, d] * w[d]``, and
its gradients dx and dw) is written into every place a homework has:

    assignments/<hw>/manifest.toml            title, graded modules, questions and points
    assignments/<hw>/notebook.py              the notebook's source (cells), built into the manifest's notebook
    assignments/<hw>/<hw>.ipynb               generated from notebook.py (the manifest's `notebook` names it)
    assignments/<hw>/public_tests/            what students run with pytest
    assignments/<hw>/hidden_tests/            the Gradescope tests (autograder.authoring)
    assignments/<hw>/student_checks.py        the gradient rows of python -m nnkit_check
    assignments/<hw>/bank/buggy|correct/      mutants the hidden tests must catch, alternatives they must accept
    assignments/<hw>/bank/probes.py           inputs on which tests/test_bank.py compares the bank
    solutions/nnkit/<module>.py               the reference (only when the module does not exist yet)

and student_template/nnkit/ and docs/HOMEWORK_API.md are refreshed. Replace the example with the real
questions, file by file; docs/ADDING_A_HOMEWORK.md walks through it.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from string import Template

import click

HW_RE = re.compile(r"^[a-z][a-z0-9_]*$")

# The example module of ``nnkit new`` (students see its docstrings, so the note is here, for
# instructors): every public top-level function of a reference module is part of the homework
# API, by its name and signature (autograder/api_spec.py); the code between the solution markers
# is what the student release replaces by ``raise NotImplementedError``.
REFERENCE = '''"""Feature-wise scaling, forward and backward, on a batch.

Each feature of every input row is multiplied by its own weight.

Conventions: float64, ``x`` is ``(N, D)`` (one input per row), ``w`` is ``(D,)``;
inputs are never modified.
"""

import numpy as np


def scale_forward(x, w):
    """Scale every feature of a batch by its own weight: ``out[n, d] = x[n, d] * w[d]``.

    Inputs:
    - x: inputs, shape (N, D)
    - w: one weight per feature, shape (D,)

    Returns:
    - out: shape (N, D)
    """
    ### BEGIN SOLUTION
    x, w = np.asarray(x, dtype=np.float64), np.asarray(w, dtype=np.float64)
    if x.ndim != 2 or w.shape != x.shape[1:]:
        raise ValueError(f"scale_forward: expected x (N, D) and w (D,), got {x.shape} and {w.shape}")
    return x * w
    ### END SOLUTION


def scale_backward(dout, x, w):
    """Gradients of ``scale_forward`` with respect to its inputs.

    The weights are shared by every row of the batch: each gradient has the
    shape of what it is the gradient of.

    Inputs:
    - dout: upstream gradient dL/dout, shape (N, D)
    - x: inputs of the forward pass, shape (N, D)
    - w: weights, shape (D,)

    Returns a tuple of:
    - dx: shape (N, D)
    - dw: shape (D,)
    """
    ### BEGIN SOLUTION
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    if x.ndim != 2 or w.shape != x.shape[1:] or dout.shape != x.shape:
        raise ValueError(f"scale_backward: expected dout and x (N, D), w (D,), got {dout.shape}, {x.shape}, "
                         f"{w.shape}")
    return dout * w, np.sum(dout * x, axis=0)
    ### END SOLUTION
'''

MANIFEST = '''# $title. Made by `nnkit new`; docs/ADDING_A_HOMEWORK.md explains every key.
# Read by autograder.release (stubs, zips) and the grader (points, which functions a
# question grades). Function names are "module.function" of solutions/nnkit/.
title = "$title"
modules = ["$module"]  # graded here: solutions/nnkit/<module>.py
carried = []           # modules of earlier homeworks shipped along as stubs, e.g. ["layers"]
notebook = "$hw.ipynb"

[[questions]]
number = "$number.1"
name = "Feature-wise scaling"
points = 10
functions = ["$module.scale_forward", "$module.scale_backward"]

# What tests/test_notebooks.py asks of the solution notebook run top to bottom in a kernel.
[notebook_checks]
min_figures = 1
'''

NOTEBOOK = '''"""Source of the notebook manifest.toml names (built by assignments/notebooks_src/make_notebooks.py).

CELLS is the notebook, cell by cell: ``md`` for markdown, ``code`` for code; the
cells shared by every homework (set-up, the gradient check) come from
assignments/notebooks_src/notebook_cells.py.
"""

from notebook_cells import GRADCHECK, GRADCHECK_MD, check_cell, code, md, setup

CELLS = [
    md(
        r"""
        # $title

        You write `nnkit/$module.py`. `pytest` in this folder runs the public tests and
        `python -m nnkit_check` checks your gradients; `python -m nnkit_check submit`
        builds the zip to hand in.
        """
    ),
    setup("$module"),
    GRADCHECK_MD,
    GRADCHECK,
    md(
        r"""
        ## 1. Feature-wise scaling

        Each feature $$d$$ of every input row is multiplied by its own weight:
        $$\\text{out}_{nd} = x_{nd}\\, w_d$$.
        """
    ),
    code(
        """
        x_demo = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
        w_demo = np.array([2.0, -1.0, 0.5])
        print($module.scale_forward(x_demo, w_demo))
        """
    ),
    md(
        r"""
        ### Its gradients

        The weight $$w_d$$ is used by every row, so its gradient collects a term from each row.
        """
    ),
    code(
        """
        rng = np.random.default_rng(0)
        rows = backward_rows("scale_backward", $module.scale_forward, $module.scale_backward,
                             x=rng.standard_normal((4, 3)), w=rng.standard_normal(3))
        gradient_table(rows)
        """
    ),
    code(
        """
        dx, dw = $module.scale_backward(np.ones_like(x_demo), x_demo, w_demo)
        print("with dout = 1, dw is the sum of the rows of x:", np.allclose(dw, x_demo.sum(axis=0)))
        """
    ),
    check_cell("$number.1"),
    md(
        r"""
        ## 2. A picture

        One feature, three weights: scaling is a line through the origin whose slope is the weight.
        """
    ),
    code(
        """
        grid = np.linspace(-2.0, 2.0, 41)[:, None]
        fig, ax = plt.subplots(figsize=(4, 3))
        for weight in (-1.0, 0.5, 2.0):
            ax.plot(grid[:, 0], $module.scale_forward(grid, np.array([weight]))[:, 0], label=f"w = {weight:g}")
        ax.set_xlabel("x")
        ax.set_ylabel("out")
        ax.legend()
        plt.show()
        """
    ),
    code(
        """
        print("out has the shape of x:", $module.scale_forward(x_demo, w_demo).shape == x_demo.shape)
        """
    ),
    md(
        r"""
        ## 3. A small exercise

        Compute the same scaling with a loop over the rows, in the cell below where it says
        `# YOUR CODE HERE`; the cell then compares it with `scale_forward`. Nothing after it
        depends on it.
        """
    ),
    code(
        """
        # scaled_by_loop: x_demo scaled by w_demo, one row at a time (a for loop over the rows)
        ### BEGIN SOLUTION
        scaled_by_loop = np.empty_like(x_demo)
        for row in range(len(x_demo)):
            scaled_by_loop[row] = x_demo[row] * w_demo
        ### END SOLUTION
        assert np.allclose(scaled_by_loop, $module.scale_forward(x_demo, w_demo))
        print("the loop agrees with scale_forward")
        """
    ),
    md(
        r"""
        ## What to hand in

        `nnkit/$module.py`: run `python -m nnkit_check submit` in this folder.
        """
    ),
]
'''

PUBLIC_TEST = '''"""Public tests of nnkit/$module.py: feature-wise scaling ``out[n, d] = x[n, d] * w[d]``."""

import numpy as np

from nnkit.$module import scale_backward, scale_forward
from nnkit_check.gradcheck import numeric_gradient, rel_error

# A correct float64 gradient stays far below this relative error; a wrong one gives 1e-1 or more.
TOL = 1e-5


def test_scale_forward_by_hand():
    out = scale_forward(np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([2.0, -1.0]))
    assert np.shape(out) == (2, 2), "out has the shape of x"
    np.testing.assert_allclose(out, [[2.0, -2.0], [6.0, 1.0]])


def test_scale_backward_matches_numeric_gradient():
    rng = np.random.default_rng(3)
    x, w, dout = rng.standard_normal((5, 3)), rng.standard_normal(3), rng.standard_normal((5, 3))
    grads = scale_backward(dout, x, w)
    assert len(grads) == 2, "scale_backward returns (dx, dw)"
    inputs = (x, w)
    for i, (name, grad) in enumerate(zip(("dx", "dw"), grads)):
        assert np.shape(grad) == inputs[i].shape, f"{name} must have shape {inputs[i].shape}"

        def f(v, i=i):
            args = list(inputs)
            args[i] = v
            return scale_forward(*args)
        err = rel_error(grad, numeric_gradient(f, inputs[i], dout))
        assert err < TOL, f"{name} disagrees with the numeric gradient (relative error {err:.2e})"
'''

HIDDEN_TEST = '''"""$number.1 Feature-wise scaling (10 points: 4 for the forward, 6 for the gradients, 3 each for dx and dw)."""

from autograder.authoring import question


def batch(q, n, d, zero_weight=False):
    """(x, w, dout) of a batch of n rows and d features, seeded per submission and question."""
    x, w, dout = q.rng.standard_normal((n, d)), q.rng.standard_normal(d), q.rng.standard_normal((n, d))
    if zero_weight:
        w[0] = 0.0
    return x, w, dout


@question("$number.1.1", points=4)
def test_forward(q):
    """scale_forward: x * w on a batch, and on one row with a zero weight"""
    x, w, _ = batch(q, 5, 3)
    q.compare(2, "$module.scale_forward", x, w, label="scale_forward (N = 5, D = 3)")
    x, w, _ = batch(q, 1, 4, zero_weight=True)
    q.compare(2, "$module.scale_forward", x, w, label="scale_forward (one row, a zero weight)")


@question("$number.1.2", points=6)
def test_backward(q):
    """scale_backward: dx and dw (dw sums over the batch), 3 points each"""
    x, w, dout = batch(q, 5, 3)
    q.gradients(6, "$module.scale_backward", dout, x, w, batch=len(x))
'''

STUDENT_CHECKS = '''"""Gradient checks of $hw that ``python -m nnkit_check`` runs on the student's own code.

Shipped as ``nnkit_check/homework_checks.py`` of the student release (numpy only).
The format of an entry of ``GRADIENT_CHECKS`` is described in
assignments/hw1_backprop/student_checks.py.
"""

GRADIENT_CHECKS = [
    dict(question="$number.1", function="$module.scale_backward", forward="$module.scale_forward", mode="backward",
         inputs=lambda r: ((r.standard_normal((4, 3)), r.standard_normal(3)), {}), grads=("dx", "dw")),
]
'''

BUGGY = '''"""scale_backward averages dw over the batch instead of summing it."""
import numpy as np

MODULE = "$module"
KILLED_BY = ["$number.1"]


def scale_backward(dout, x, w):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    return dout * w, np.mean(dout * x, axis=0)
'''

CORRECT = '''"""scale_backward with einsum: the same gradients written another way."""
import numpy as np

MODULE = "$module"


def scale_backward(dout, x, w):
    dout, x, w = (np.asarray(a, dtype=np.float64) for a in (dout, x, w))
    return np.einsum("nd,d->nd", dout, w), np.einsum("nd,nd->d", dout, x)
'''

PROBES = '''"""Inputs on which tests/test_bank.py compares this homework's bank entries with the reference.

PROBES: function name -> list of (args, kwargs); valid inputs, with the edge cases mutants get wrong.
"""

import numpy as np

_rng = np.random.default_rng(0)
_x, _w, _dout = _rng.standard_normal((3, 4)), _rng.standard_normal(4), _rng.standard_normal((3, 4))

PROBES = {
    "scale_forward": [((_x, _w), {})],
    "scale_backward": [((_dout, _x, _w), {})],
}
'''


def next_number(root: Path) -> int:
    """One more than the largest homework number the manifests' question numbers use (1 if none).

    Input: root, a repository root. Output: the homework number of a new homework.
    """
    from autograder.release.manifest import read_manifest
    from autograder.repo import list_homeworks

    numbers = [0]
    for hw in list_homeworks(root):
        for q in read_manifest(root, hw).data.get("questions", []):
            head = str(q.get("number", "")).split(".")[0]
            numbers += [int(head)] if head.isdigit() else []
    return max(numbers) + 1


def scaffold_files(hw: str, module: str, number: int, title: str) -> dict[str, str]:
    """Repository path -> text of every file of the new homework (the notebook excluded).

    Inputs: hw (folder name), module (reference module it grades), number (of the
    homework: questions are "<number>.1", ...), title (the manifest's).
    """
    values = {"hw": hw, "module": module, "number": str(number), "title": title}
    folder = f"assignments/{hw}"
    templates = {
        f"{folder}/manifest.toml": MANIFEST,
        f"{folder}/notebook.py": NOTEBOOK,
        f"{folder}/public_tests/test_{module}.py": PUBLIC_TEST,
        f"{folder}/hidden_tests/test_q{number}_1_{module}.py": HIDDEN_TEST,
        f"{folder}/student_checks.py": STUDENT_CHECKS,
        f"{folder}/bank/buggy/scale_backward_dw_mean.py": BUGGY,
        f"{folder}/bank/correct/scale_backward_einsum.py": CORRECT,
        f"{folder}/bank/probes.py": PROBES,
    }
    return {path: Template(text).substitute(values) for path, text in templates.items()}


def check_names(root: Path, hw: str, module: str) -> None:
    """Raise ValueError saying what to change when ``hw`` or ``module`` cannot be used."""
    if not HW_RE.match(hw):
        raise ValueError(f"homework name {hw!r}: use lower-case letters, digits and _ (e.g. hw4_dropout)")
    if not module.isidentifier() or keyword.iskeyword(module) or module.startswith("_") or module != module.lower():
        raise ValueError(f"module name {module!r}: use a lower-case Python identifier (e.g. dropout)")
    if (root / "assignments" / hw).exists():
        raise ValueError(f"assignments/{hw}/ exists already: pick another name, or remove it first")


def create_homework(root: Path, hw: str, module: str, number: int | None = None,
                    title: str | None = None) -> list[Path]:
    """Write the homework folder (and the reference module, if new); return the files written.

    Inputs: root (repository), hw, module, number (default: the next one), title
    (default "Homework <number>: <module>"). Raises ValueError before writing
    anything when a name cannot be used.
    """
    from autograder.release.build import write_template
    from autograder.release.layout import Sources, template_files
    from autograder.instructor.apidoc import TARGET as API_DOC, write_api_doc
    from autograder.repo import build_notebooks

    root = Path(root)
    check_names(root, hw, module)
    number = next_number(root) if number is None else number
    title = title or f"Homework {number}: {module}"
    written = []
    reference = root / "solutions" / "nnkit" / f"{module}.py"
    if not reference.exists():
        reference.write_text(REFERENCE, encoding="utf-8")
        written.append(reference)
    for relative, text in scaffold_files(hw, module, number, title).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    written += build_notebooks(root, [hw])
    write_template(root, template_files(Sources(root)))
    if write_api_doc(root):
        written.append(root / API_DOC)
    return written


@click.command()
@click.argument("hw")
@click.option("--module", required=True, help="the reference module it grades: solutions/nnkit/<module>.py")
@click.option("--number", type=click.IntRange(min=1), default=None,
              help="homework number, for question numbers [default: one more than the largest in use]")
@click.option("--title", default=None, help='the manifest\'s title [default: "Homework <number>: <module>"]')
def new(hw, module, number, title):
    """Scaffold assignments/HW/: a homework that releases, grades and audits as it is.

    Writes a manifest, the notebook source and notebook, a public test, a hidden
    test, the student check's gradient rows and a bank entry for one example
    question (feature-wise scaling), and solutions/nnkit/MODULE.py with the
    example functions if that module does not exist yet. Replace the example
    with the homework's questions; see docs/ADDING_A_HOMEWORK.md.
    """
    from autograder.repo import REPO

    try:
        written = create_homework(REPO, hw, module, number, title)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    for path in written:
        click.echo(f"wrote {path.relative_to(REPO)}")
    reference = REPO / "solutions" / "nnkit" / f"{module}.py"
    if reference not in written:
        click.echo(f"note: {reference.relative_to(REPO)} exists and was left as it is; the example question "
                   "grades scale_forward and scale_backward: add them to it, or point the manifest and the "
                   "tests at its own functions", err=True)
    click.echo(f"student_template/nnkit/ refreshed\n\nnext: nnkit release --hw {hw} --out /tmp/{hw}-dist, then\n"
               f"  nnkit grade solutions/nnkit --hw {hw}   (the reference: full marks)\n"
               f"  nnkit audit --hw {hw}                  (the bank: mutants caught, alternatives full marks)")
