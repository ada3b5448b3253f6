"""Everything a release ships must parse as Python 3.10 (Gradescope's image, students' laptops).

``ast.parse(feature_version=(3, 10))`` rejects the newer grammar (``except*``,
type parameters, ...); it does not see newer stdlib imports, which the
grading part's own tests cover.
"""

from __future__ import annotations

import ast

from autograder.release.errors import Problem, ReleaseError

OLDEST = (3, 10)


def check_python_syntax(files: dict[str, bytes], artifact: str, version: tuple[int, int] = OLDEST) -> None:
    """Raise ReleaseError naming ``artifact:file:line`` for every ``.py`` file of ``files``
    (name -> bytes) that does not parse as Python ``version``."""
    problems = []
    for name in sorted(files):
        if not name.endswith(".py"):
            continue
        try:
            ast.parse(files[name].decode("utf-8"), filename=name, feature_version=version)
        except SyntaxError as exc:
            problems.append(Problem(f"{artifact}:{name}", exc.lineno or 0,
                                    f"not Python {version[0]}.{version[1]} syntax: {exc.msg}"))
    if problems:
        raise ReleaseError(problems)
