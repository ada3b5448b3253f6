"""``nnkit check FOLDER``: the student tool (``python -m nnkit_check``) run from the repository."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."))
def check(folder: Path):
    """Public tests and gradient checks of a student homework FOLDER (holding nnkit/ and tests/), as a table.

    The same as ``python -m nnkit_check`` in the student release.
    """
    from autograder.student.check import main

    raise SystemExit(main([str(folder)]))
