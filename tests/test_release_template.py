"""student_template/nnkit/ is committed: it must equal what the reference generates now."""

from autograder.release.build import template_differences, write_template
from autograder.release.layout import Sources, template_files
from autograder.api_spec import API
from test_release_common import make_repo


def test_student_template_is_up_to_date(repo_root):
    stale = template_differences(repo_root)
    assert not stale, (f"student_template/nnkit/ is stale ({', '.join(stale)}): "
                       "run `make release` or `nnkit release --template-only` and commit it")


def test_stale_template_is_detected(tmp_path):
    repo = make_repo(tmp_path / "repo", homeworks=("hw1_backprop",))
    write_template(repo, template_files(Sources(repo)))
    assert template_differences(repo) == []
    layers = repo / "solutions" / "nnkit" / "layers.py"
    layers.write_text(layers.read_text().replace('"""', '"""Changed. ', 1))
    (repo / "student_template" / "nnkit" / "old_module.py").write_text("x = 1\n")
    assert template_differences(repo) == ["layers.py", "old_module.py (extra)"]
    changed = write_template(repo, template_files(Sources(repo)))
    assert changed == ["layers.py", "old_module.py"] and template_differences(repo) == []


def test_template_has_every_module_as_a_stub(tmp_path):
    files = template_files(Sources(make_repo(tmp_path / "repo", homeworks=())))
    assert sorted(files) == sorted(["__init__.py"] + [f"{m}.py" for m in API])
    for module, functions in API.items():
        for name in functions:
            assert f"def {name}(" in files[f"{module}.py"], f"{module}.{name} missing from the stub"
        assert "### BEGIN SOLUTION" not in files[f"{module}.py"]
