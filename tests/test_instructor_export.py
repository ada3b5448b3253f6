"""Reading a class's submissions: Gradescope exports, plain folders, bad metadata, bad folders."""

import os

import pytest

from autograder.instructor import export
from autograder.instructor.export import read_export, read_metadata
from autograder.instructor.synthetic import make_export

GRADESCOPE_YML = """\
submission_1001:
  :submitters:
  - :name: Ada Lovelace
    :sid: '42'
    :email: ada@example.edu
  :created_at: 2026-11-20 14:03:12.000000000 -08:00
  :score: 87.0
submission_1002:
  :submitters:
  - :name: Pair One
    :sid: '200'
    :email: one@example.edu
  - :name: Pair Two
    :sid: '201'
    :email: two@example.edu
  :created_at: 2026-11-20 15:00:00.000000000 -08:00
  :score: 12.5
"""


def _folder(path, files=("nnkit/gates.py",)):
    for name in files:
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text("x = 1\n")
    path.mkdir(parents=True, exist_ok=True)
    return path


def test_gradescope_metadata_names_and_groups(tmp_path):
    (tmp_path / "submission_metadata.yml").write_text(GRADESCOPE_YML)
    _folder(tmp_path / "submission_1001")
    _folder(tmp_path / "submission_1002")
    subs, warnings = read_export(tmp_path)
    assert [s.id for s in subs] == ["submission_1001", "submission_1002"]
    assert (subs[0].name, subs[0].email, subs[0].sid) == ("Ada Lovelace", "ada@example.edu", "42")
    assert subs[1].name == "Pair One; Pair Two" and subs[1].email == "one@example.edu; two@example.edu"
    assert all(s.problem is None for s in subs) and warnings == []


def test_metadata_entry_without_folder_is_an_error_row(tmp_path):
    (tmp_path / "submission_metadata.yml").write_text(GRADESCOPE_YML)
    _folder(tmp_path / "submission_1001")
    subs, _ = read_export(tmp_path)
    missing = next(s for s in subs if s.id == "submission_1002")
    assert missing.problem.startswith("missing") and missing.name == "Pair One; Pair Two"


@pytest.mark.parametrize("text", ["{{{ not yaml", "- just\n- a list\n", "submission_1: {':score': 3}\n", ""])
def test_malformed_metadata_falls_back_to_listing(tmp_path, text):
    (tmp_path / "submission_metadata.yml").write_text(text)
    _folder(tmp_path / "alice")
    subs, warnings = read_export(tmp_path)
    assert [s.id for s in subs] == ["alice"] and subs[0].name == ""
    assert len(warnings) == 1 and "submission_metadata.yml" in warnings[0] and "instead" in warnings[0]
    with pytest.raises(ValueError, match="submission_metadata.yml"):
        read_metadata(tmp_path / "submission_metadata.yml")


def test_plain_folder_and_bad_submission_folders(tmp_path, monkeypatch):
    _folder(tmp_path / "alice")
    (tmp_path / "bob").mkdir()
    _folder(tmp_path / "carol", files=("deep/down/nnkit/conv.py",))
    (tmp_path / "dave.zip").write_bytes(b"")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "notes.txt").write_text("not a submission")
    subs, warnings = read_export(tmp_path)
    by_id = {s.id: s for s in subs}
    assert sorted(by_id) == ["alice", "bob", "carol", "dave.zip"]
    assert by_id["alice"].problem is None and by_id["carol"].problem is None
    assert by_id["bob"].problem == "empty submission folder (no files)"
    assert by_id["dave.zip"].problem == "empty file"
    assert "no submission_metadata.yml" in warnings[0]

    def refuse(path, onerror=None):
        onerror(PermissionError(13, "Permission denied", str(path)))
        yield from ()

    monkeypatch.setattr(export.os, "walk", refuse)  # root can read anything: simulate an unreadable folder
    subs, _ = read_export(tmp_path)
    assert {s.id: s.problem for s in subs}["alice"] == "unreadable submission folder: Permission denied"


def test_nothing_to_grade_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        read_export(tmp_path / "nope")
    with pytest.raises(ValueError, match="nothing to grade"):
        read_export(tmp_path)
    (tmp_path / "submission_metadata.yml").write_text(":::")
    with pytest.raises(ValueError, match="nothing to grade"):
        read_export(tmp_path)


def test_synthetic_export_is_a_gradescope_export(tmp_path):
    made = make_export(tmp_path / "export", "hw1_backprop", 13, seed=3)
    subs, warnings = read_export(tmp_path / "export")
    assert warnings == [] and [s.id for s in subs] == [m["id"] for m in made]
    assert [s.name for s in subs] == [m["name"] for m in made]
    kinds = {m["kind"] for m in made}
    assert kinds == {"correct", "buggy", "alternative", "broken", "hostile"}
    empty = [m["id"] for m in made if m["detail"] == "empty"]
    assert all(s.problem for s in subs if s.id in empty)
    assert all(s.problem is None for s in subs if s.id not in empty)
    again = make_export(tmp_path / "again", "hw1_backprop", 13, seed=3)
    assert again == made  # deterministic
    assert os.listdir(tmp_path / "export" / made[0]["id"])  # not empty unless meant to be
    with pytest.raises(ValueError):
        make_export(tmp_path / "zero", "hw1_backprop", 0)


def test_gradescope_zip_is_unpacked_once_and_safely(tmp_path):
    import zipfile

    from autograder.instructor.export import unpack_export

    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("assignment_42_export/submission_metadata.yml", GRADESCOPE_YML)
        z.writestr("assignment_42_export/submission_1001/nnkit/gates.py", "x = 1\n")
        z.writestr("assignment_42_export/submission_1002/nnkit/gates.py", "x = 2\n")
        z.writestr("../escape.txt", "outside")
    folder = unpack_export(archive, tmp_path / "out" / "export")
    assert folder == tmp_path / "out" / "export" / "assignment_42_export"
    assert (tmp_path / "out" / "export" / "escape.txt").exists()  # ".." dropped: it stays inside
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "out" / "escape.txt").exists()
    subs, warnings = read_export(folder)
    assert [s.name for s in subs] == ["Ada Lovelace", "Pair One; Pair Two"] and warnings == []
    (folder / "submission_1001" / "marker").write_text("kept")  # a rerun reuses the unpacked export
    assert unpack_export(archive, tmp_path / "out" / "export") == folder and (folder / "submission_1001" / "marker").exists()
    assert unpack_export(tmp_path / "out", tmp_path / "x") == tmp_path / "out"  # a folder is used as is


def test_a_corrupt_or_truncated_export_zip_says_so(tmp_path):
    import zipfile

    from autograder.instructor.export import unpack_export

    garbage = tmp_path / "export.zip"
    garbage.write_bytes(b"<html>session expired</html>")
    with pytest.raises(ValueError, match="is not a zip file"):
        unpack_export(garbage, tmp_path / "out")
    good = tmp_path / "good.zip"
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("submission_1/nnkit/gates.py", "x = 1\n" * 2000)
    data = good.read_bytes()
    # the member's compressed bytes damaged, the directory at the end intact: is_zipfile still says yes
    start = data.index(b"nnkit/gates.py") + len("nnkit/gates.py")
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(data[:start] + bytes(len(data[start:start + 40])) + data[start + 40:])
    assert zipfile.is_zipfile(damaged)
    with pytest.raises(ValueError, match="damaged zip file"):
        unpack_export(damaged, tmp_path / "out2")
    assert not (tmp_path / "out2").exists() and not (tmp_path / "out2.partial").exists()


def test_synthetic_subcommand_writes_an_export(tmp_path):
    from click.testing import CliRunner

    from autograder.cli import main

    result = CliRunner().invoke(main, ["synthetic", str(tmp_path / "class"), "--hw", "hw1_backprop", "-n", "6"])
    assert result.exit_code == 0, result.output
    assert "wrote 6 submissions of hw1_backprop" in result.output
    subs, warnings = read_export(tmp_path / "class")
    assert len(subs) == 6 and warnings == []
    result = CliRunner().invoke(main, ["synthetic", str(tmp_path / "x"), "--hw", "hw1"])
    assert result.exit_code == 1 and "unknown homework 'hw1'" in result.output and "hw1_backprop" in result.output
