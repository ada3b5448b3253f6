"""The ``nnkit`` command line.

Each sub-command lives in the module that does its job; this file only maps
names to ``module:attribute`` and imports a command when it is invoked, so
``nnkit --help`` stays fast and one broken part does not take down the others
(click's documented lazy-loading group pattern).
"""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute" of a click.Command
COMMANDS: dict[str, str] = {
    "release": "autograder.release.cli:release",
    "grade": "autograder.grading.cli:grade",
    "check": "autograder.student.cli:check",
    "regrade": "autograder.instructor.cli:regrade",
    "audit": "autograder.instructor.cli:audit",
    "synthetic": "autograder.instructor.cli:synthetic",
    "new": "autograder.instructor.new:new",
}


class LazyGroup(click.Group):
    """A click group whose sub-commands are imported on first use."""

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx):
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_commands))

    def get_command(self, ctx, cmd_name):
        if cmd_name in self.lazy_commands:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, cmd_name):
        module_name, attr = self.lazy_commands[cmd_name].split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                raise click.ClickException(
                    f"'nnkit {cmd_name}' is not available yet: {module_name} is missing"
                ) from exc
            raise
        command = getattr(module, attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module_name}:{attr} is not a click command")
        return command


@click.group(cls=LazyGroup, lazy_commands=COMMANDS)
@click.version_option(package_name="nnkit", prog_name="nnkit")
def main():
    """nnkit: reference solution, releases and autograder of the neural-networks course."""


if __name__ == "__main__":  # pragma: no cover
    main()
