"""Each step of the release pipeline alone: markers, stubs, notebooks, manifest, zips, leaks."""

import ast
import io
import json
import textwrap
import zipfile

import nbformat
import pytest

from autograder.release.errors import ReleaseError
from autograder.release.layout import check_tool_files
from autograder.release.leaks import LeakIndex, check_leaks, is_trivial
from autograder.release.manifest import list_homeworks, load_manifest
from autograder.release.markers import find_regions
from autograder.release.notebooks import student_notebook
from autograder.release.pycompat import check_python_syntax
from autograder.release.stubs import stub_module, stub_source
from autograder.release.zips import SCRIPT_MODE, Entry, zip_bytes
from test_release_common import make_repo, standin_notebook

GOOD = textwrap.dedent('''\
    """A module."""

    import numpy as np

    SCALE = 2.0


    def double(x):
        """Twice x.

        Inputs:
        - x: array
        """
        x = np.asarray(x)
        ### BEGIN SOLUTION
        out = SCALE * x
        ### END SOLUTION
        return out


    def nested(x):
        """A region inside an if."""
        if x is None:
            ### BEGIN SOLUTION
            return np.zeros(3) + 7
            ### END SOLUTION
        return x
    ''')


def problem_lines(exc_info):
    """(path, line) of every problem of a ReleaseError."""
    return [(p.path, p.line) for p in exc_info.value.problems]


# --- markers -----------------------------------------------------------------

def test_find_regions_pairs_markers_with_indent():
    regions = find_regions(GOOD, "m.py")
    lines = GOOD.split("\n")
    begins = [i for i, ln in enumerate(lines, 1) if "BEGIN" in ln]
    ends = [i for i, ln in enumerate(lines, 1) if "END SOL" in ln]
    assert [(r.begin, r.end, r.indent) for r in regions] == [
        (begins[0], ends[0], "    "), (begins[1], ends[1], "        ")]


def test_marker_in_a_docstring_is_not_a_marker():
    text = 'def f():\n    """Use ### BEGIN SOLUTION in your code."""\n    return 1\n'
    assert find_regions(text, "m.py") == []


@pytest.mark.parametrize("source,line,words", [
    ("def f():\n    ### BEGIN SOLUTION\n    return 1\n", 2, "without an END"),
    ("def f():\n    return 1\n    ### END SOLUTION\n", 3, "without a BEGIN"),
    ("def f():\n    ### BEGIN SOLUTION\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n", 3, "nested"),
    ("def f():\n    return 1  ### BEGIN SOLUTION\n", 2, "alone on its line"),
    ("def f():\n    ### BEGIN SOLUTON\n    return 1\n", 2, "malformed"),
])
def test_bad_markers_name_file_and_line(source, line, words):
    with pytest.raises(ReleaseError) as exc_info:
        find_regions(source, "solutions/nnkit/m.py")
    assert ("solutions/nnkit/m.py", line) in problem_lines(exc_info)
    assert words in str(exc_info.value)


# --- stubs -------------------------------------------------------------------

def test_stub_replaces_regions_keeping_everything_else():
    stub = stub_module(GOOD, "m.py")
    assert "SCALE * x" not in stub and "np.zeros(3) + 7" not in stub and "BEGIN" not in stub
    assert "        # YOUR CODE HERE\n        raise NotImplementedError\n" in stub  # the if's indent
    assert "    # YOUR CODE HERE\n    raise NotImplementedError\n    return out" in stub
    tree = ast.parse(stub)
    assert [type(n).__name__ for n in tree.body] == ["Expr", "Import", "Assign", "FunctionDef", "FunctionDef"]
    double = tree.body[3]
    assert ast.get_docstring(double).startswith("Twice x.")
    assert [a.arg for a in double.args.args] == ["x"]
    assert "x = np.asarray(x)" in stub  # code outside the markers is kept


def test_api_function_without_markers_is_an_error():
    source = GOOD + "\n\ndef given_away(x):\n    \"\"\"No markers.\"\"\"\n    return x + 1\n"
    assert stub_module(source, "m.py", ["double"])  # double is stubbed: fine
    with pytest.raises(ReleaseError) as exc_info:
        stub_module(source, "solutions/nnkit/m.py", ["double", "given_away"])
    line = source.split("\n").index("def given_away(x):") + 1
    assert problem_lines(exc_info) == [("solutions/nnkit/m.py", line)]
    assert "would ship the whole solution" in str(exc_info.value)


def test_module_without_markers_is_unchanged():
    assert stub_module("def f(x):\n    return x\n", "m.py") == "def f(x):\n    return x\n"


def test_marker_outside_a_function_is_an_error():
    source = "import numpy as np\n\n### BEGIN SOLUTION\nTABLE = np.eye(3)\n### END SOLUTION\n"
    with pytest.raises(ReleaseError) as exc_info:
        stub_module(source, "solutions/nnkit/m.py")
    assert problem_lines(exc_info) == [("solutions/nnkit/m.py", 3)]
    assert "outside a function body" in str(exc_info.value)


def test_marker_around_a_whole_def_is_an_error():
    source = "### BEGIN SOLUTION\ndef helper(x):\n    return x\n### END SOLUTION\n"
    with pytest.raises(ReleaseError, match="outside a function body"):
        stub_module(source, "m.py")


def test_marker_around_the_docstring_is_an_error():
    source = 'def f(x):\n    ### BEGIN SOLUTION\n    """Doc."""\n    return x\n    ### END SOLUTION\n'
    with pytest.raises(ReleaseError, match="docstring"):
        stub_module(source, "m.py")


def test_region_splitting_a_statement_does_not_parse():
    source = "def f(x):\n    y = (1 +\n    ### BEGIN SOLUTION\n         x)\n    ### END SOLUTION\n    return y\n"
    with pytest.raises(ReleaseError) as exc_info:
        stub_module(source, "m.py")
    assert problem_lines(exc_info)[0][1] > 0


def test_reference_that_does_not_parse_reports_its_line():
    with pytest.raises(ReleaseError) as exc_info:
        stub_module("def f(x):\n    return (\n", "m.py")
    assert problem_lines(exc_info)[0][0] == "m.py" and problem_lines(exc_info)[0][1] >= 2


def test_notebook_cells_may_stub_top_level_code():
    cell = "%matplotlib inline\nx = 1\n### BEGIN SOLUTION\ny = x + 41\n### END SOLUTION\nprint(y)"
    assert stub_source(cell, "nb", ipython=True, require_function=False) == (
        "%matplotlib inline\nx = 1\n# YOUR CODE HERE\nraise NotImplementedError\nprint(y)")


# --- notebooks ---------------------------------------------------------------

def test_student_notebook_strips_solutions_hidden_tests_and_outputs():
    out = student_notebook(standin_notebook(), "nb.ipynb")
    nb = nbformat.reads(out, as_version=4)
    nbformat.validate(nb)
    sources = [c.source for c in nb.cells]
    assert len(nb.cells) == 3, "the hidden-test cell is dropped"
    assert not any("secret_result" in s or "hidden check" in s or "BEGIN" in s for s in sources)
    assert "raise NotImplementedError" in sources[1] and '"""Twice x."""' in sources[1]
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert out == student_notebook(standin_notebook(), "nb.ipynb")
    assert json.loads(out)["cells"][0]["id"] == "standin-0"


def test_student_notebook_fills_missing_ids_deterministically():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    nb.nbformat_minor = 4
    del nb.cells[0]["id"]
    text = json.dumps(nb)
    out = student_notebook(text, "nb.ipynb")
    assert json.loads(out)["cells"][0]["id"] == "cell-0"
    assert out == student_notebook(text, "nb.ipynb")


def test_student_notebook_markdown_answer_and_errors_name_the_cell():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Why?\n### BEGIN SOLUTION\nBecause of the chain rule.\n### END SOLUTION"),
        nbformat.v4.new_code_cell("x = 1\n### BEGIN SOLUTION\ny = 2\n"),
    ])
    with pytest.raises(ReleaseError) as exc_info:
        student_notebook(nbformat.writes(nb), "hw.ipynb")
    assert problem_lines(exc_info) == [("hw.ipynb[cell 1]", 2)]
    nb.cells[1].source += "### END SOLUTION"
    out = nbformat.reads(student_notebook(nbformat.writes(nb), "hw.ipynb"), as_version=4)
    assert out.cells[0].source == "Why?\nYOUR ANSWER HERE"


# --- manifest ----------------------------------------------------------------

def test_real_manifests_are_valid(repo_root):
    for hw in list_homeworks(repo_root):
        manifest = load_manifest(repo_root, hw)
        data = json.loads(manifest.to_json())
        assert data["homework"] == hw and data["questions"]


def test_manifest_naming_a_missing_function_reports_its_line(tmp_path):
    repo = make_repo(tmp_path / "repo", homeworks=("hw1_backprop",))
    path = repo / "assignments" / "hw1_backprop" / "manifest.toml"
    text = path.read_text().replace('"layers.linear_backward"', '"layers.linear_backwards"')
    path.write_text(text)
    with pytest.raises(ReleaseError) as exc_info:
        load_manifest(repo, "hw1_backprop")
    line = text[: text.index("linear_backwards")].count("\n") + 1
    assert problem_lines(exc_info) == [("assignments/hw1_backprop/manifest.toml", line)]
    assert "no function 'linear_backwards'" in str(exc_info.value)


def test_manifest_function_missing_from_the_reference(tmp_path):
    repo = make_repo(tmp_path / "repo", homeworks=("hw1_backprop",))
    layers = repo / "solutions" / "nnkit" / "layers.py"
    layers.write_text(layers.read_text().replace("def linear_backward(", "def linear_backward_v2("))
    with pytest.raises(ReleaseError, match="defines no function 'linear_backward'"):
        load_manifest(repo, "hw1_backprop")


def test_manifest_with_wrong_modules(tmp_path):
    repo = make_repo(tmp_path / "repo", homeworks=("hw1_backprop",))
    path = repo / "assignments" / "hw1_backprop" / "manifest.toml"
    path.write_text(path.read_text().replace('"layers"]', '"layers", "sockets"]', 1))
    with pytest.raises(ReleaseError) as exc_info:
        load_manifest(repo, "hw1_backprop")
    assert "unknown module 'sockets'" in str(exc_info.value)
    assert all(p.line > 0 for p in exc_info.value.problems)


# --- zips --------------------------------------------------------------------

def test_zip_is_sorted_with_fixed_times_and_modes(monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    data = zip_bytes({"b/x.py": Entry(b"x"), "a/run": Entry(b"#!/bin/sh\n", SCRIPT_MODE)})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["a/run", "b/x.py"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert [(i.external_attr >> 16) & 0o777 for i in infos] == [0o755, 0o644]
    assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}, "stored: no zlib-dependent bytes"
    assert data == zip_bytes({"a/run": Entry(b"#!/bin/sh\n", SCRIPT_MODE), "b/x.py": Entry(b"x")})


def test_zip_honours_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000001")
    with zipfile.ZipFile(io.BytesIO(zip_bytes({"f": Entry(b"1")}))) as archive:
        assert archive.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)


@pytest.mark.parametrize("name", ["/etc/passwd", "../up.py", "a/../../b", ""])
def test_zip_rejects_unsafe_names(name):
    with pytest.raises(ValueError):
        zip_bytes({name: Entry(b"")})


# --- Python 3.10 ------------------------------------------------------------

def test_shipped_code_must_parse_as_python_310():
    check_python_syntax({"ok.py": b"match x:\n    case 1:\n        pass\n", "data.npz": b"\x00"}, "a.zip")
    with pytest.raises(ReleaseError) as exc_info:
        check_python_syntax({"new.py": b"x = 1\ndef f[T](y):\n    return y\n"}, "a.zip")
    assert problem_lines(exc_info) == [("a.zip:new.py", 2)]


# --- leak check --------------------------------------------------------------

def test_trivial_lines_are_not_secrets():
    assert is_trivial("return out") and is_trivial("for key in params:") and is_trivial(")")
    assert not is_trivial("return np.maximum(0, x)") and not is_trivial("dx = dout * (x > 0)")


def test_leak_index_catches_solution_hidden_and_reference_lines(tmp_path):
    repo = make_repo(tmp_path / "repo", homeworks=("hw1_backprop",))
    (repo / "assignments" / "hw1_backprop" / "hidden_tests" / "test_planted_hidden.py").write_text(
        "def test_hidden():\n    assert sorted_secret_values_of_the_hidden_test() == [1, 2, 3]\n")
    reference = {"m": GOOD}
    index = LeakIndex.from_repository(repo, reference)
    assert "out = SCALE * x" in index.solution_lines
    assert "x = np.asarray(x)" not in index.solution_lines  # outside the markers: public
    clean = {"nnkit/m.py": stub_module(GOOD, "m.py").encode()}
    check_leaks(index, {"student.zip": clean})
    # whitespace and a different trailing comment do not hide a solution line
    leaked = {"nnkit/m.py": clean["nnkit/m.py"] + b"\n    out =   SCALE * x  # my own idea\n",
              "tests/test_h.py": b"x = 1\n    assert sorted_secret_values_of_the_hidden_test() == [1, 2, 3]\n",
              "copy.py": GOOD.encode()}
    with pytest.raises(ReleaseError) as exc_info:
        check_leaks(index, {"student.zip": leaked})
    where = problem_lines(exc_info)
    assert ("student.zip:nnkit/m.py", len(clean["nnkit/m.py"].decode().split("\n")) + 1) in where
    assert ("student.zip:tests/test_h.py", 2) in where
    assert ("student.zip:copy.py", 0) in where
    assert "hidden test" in str(exc_info.value) and "solution line" in str(exc_info.value)


def test_check_tool_has_no_autograder_imports(repo_root):
    files = check_tool_files(repo_root)
    # the tool, and every autograder module it imports (the collector's helpers), rewritten
    assert {"__init__.py", "__main__.py", "api_spec.py", "diagnose.py", "gradcheck.py", "submission.py"} <= set(files)
    for name, data in files.items():
        assert b"import autograder" not in data and b"from autograder" not in data, name


def test_check_tool_of_a_homework_ships_its_manifest_and_gradient_checks(repo_root):
    files = check_tool_files(repo_root, load_manifest(repo_root, "hw2_training"))
    manifest = json.loads(files["manifest.json"])
    assert manifest["carried_origin"] == {"activations": "Homework 1", "layers": "Homework 1"}
    assert files["homework_checks.py"] == (repo_root / "assignments" / "hw2_training" / "student_checks.py").read_bytes()
    api = {}
    exec(files["api_spec.py"].decode(), api)  # a literal: students have no reference to read it from
    assert api["API"]["layers"]["linear_backward"] == "(dout, x, W, b)"


FORMULA_IN_DOCSTRING = '''import numpy as np


def linear_backward(dout, x, W, b):
    """Backward pass of the linear layer.

    Shapes: dout (N, m), x (N, d), W (m, d), b (m,); W_shape[l-1] style subscripts are shapes.
    ``dx = dout @ W``, ``dW = doutᵀ @ x``.
    """
    ### BEGIN SOLUTION
    return dout @ W, dout.T @ x, dout.sum(axis=0)
    ### END SOLUTION
'''


def test_a_solution_expression_in_a_stubs_words_fails_the_release_at_its_line(tmp_path):
    from autograder.release.leaks import expression_key, line_expressions

    assert expression_key("``dW = doutᵀ @ x``") == expression_key("dW = dout.T @ x") == "dW=dout@x"
    # items of a return, each with an operator (a plain call such as dout.sum(axis=0) is no formula)
    assert line_expressions("    return dout @ W, dout.T @ x, dout.sum(axis=0)") == ["dout@W", "dout@x"]
    assert line_expressions("    shape = (sizes[l - 1], n)") == []  # an operator inside [...] is a shape
    repo = make_repo(tmp_path / "repo", homeworks=("hw1_backprop",))
    index = LeakIndex.from_repository(repo, {"layers": FORMULA_IN_DOCSTRING})
    stub = stub_module(FORMULA_IN_DOCSTRING, "layers.py")
    with pytest.raises(ReleaseError) as exc_info:
        check_leaks(index, {"student.zip": {"nnkit/layers.py": stub.encode()}})
    assert problem_lines(exc_info) == [("student.zip:nnkit/layers.py", 8)]
    assert "'dout@W'" in str(exc_info.value) and "state the contract, not the formula" in str(exc_info.value)
    # the contract alone (shapes, the lecture's section) passes
    contract = FORMULA_IN_DOCSTRING.replace("    ``dx = dout @ W``, ``dW = doutᵀ @ x``.\n",
                                            "    The lecture's 'Jacobian Matrix' derives it.\n")
    check_leaks(LeakIndex.from_repository(repo, {"layers": contract}),
                {"student.zip": {"nnkit/layers.py": stub_module(contract, "layers.py").encode()}})


def test_check_tool_ships_the_autograder_modules_the_collector_imports(tmp_path):
    repo = make_repo(tmp_path / "repo", homeworks=("hw1_backprop",))
    submission = repo / "autograder" / "grading" / "submission.py"
    submission.write_text(submission.read_text() + "\nfrom autograder.worker.protocol import quote  # noqa\n")
    files = check_tool_files(repo)
    assert files["protocol.py"] == (repo / "autograder" / "worker" / "protocol.py").read_bytes()
    assert b"from nnkit_check.protocol import quote" in files["submission.py"]


def test_hint_paragraphs_are_kept_unless_the_manifest_drops_them(tmp_path):
    from autograder.release.layout import Sources, student_files
    from autograder.release.stubs import drop_hints

    text = 'def f(x):\n    """F.\n\n    Hint: the chain rule\n    twice.\n\n    Inputs:\n    - x\n    """\n'
    assert drop_hints(text) == 'def f(x):\n    """F.\n\n    Inputs:\n    - x\n    """\n'
    repo = make_repo(tmp_path / "repo", homeworks=("hw2_training",))
    kept = student_files(repo, load_manifest(repo, "hw2_training"), Sources(repo))
    assert b"Hint: CS231n's notes" in kept["hw2_training/nnkit/optim.py"].data
    manifest = repo / "assignments" / "hw2_training" / "manifest.toml"
    manifest.write_text("drop_hints = true\n" + manifest.read_text())
    dropped = student_files(repo, load_manifest(repo, "hw2_training"), Sources(repo))
    stubs = {n: e.data for n, e in dropped.items() if "/nnkit/" in n}
    assert stubs and not any(b"Hint:" in data for data in stubs.values())
    ast.parse(stubs["hw2_training/nnkit/optim.py"])  # still a module, every docstring intact
    manifest.write_text(manifest.read_text().replace("drop_hints = true", 'drop_hints = "yes"'))
    with pytest.raises(ReleaseError, match="expected 'drop_hints' to be true or false"):
        load_manifest(repo, "hw2_training")
