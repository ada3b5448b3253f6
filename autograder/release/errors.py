"""The one error type of the release: a list of problems, each with ``file:line``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the release input (or output, for leaks).

    - path: the file at fault, as the instructor should open it.
    - line: 1-based line number, or 0 when the problem is the whole file.
    - message: what was expected and what was found.
    """

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ReleaseError(Exception):
    """The release cannot be built; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path | str, root: Path | None = None) -> str:
    """``path`` relative to ``root`` when it lies inside it (messages stay short)."""
    path = Path(path)
    if root is not None:
        try:
            return str(path.resolve().relative_to(Path(root).resolve()))
        except ValueError:
            pass
    return str(path)
