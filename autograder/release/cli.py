"""``nnkit release``: build the student and Gradescope releases (``make release``)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from autograder.release.build import TEMPLATE_DIR, build_release, plan_release, write_template
from autograder.release.errors import ReleaseError
from autograder.instructor.apidoc import TARGET as API_DOC, write_api_doc
from autograder.repo import REPO as REPO_ROOT, build_notebooks


@click.command("release")
@click.option("--hw", "homeworks", multiple=True, metavar="HW",
              help="Homework folder under assignments/ (repeatable; default: all).")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"),
              show_default=True, help="Output folder; gets <hw>/student.zip and <hw>/autograder.zip.")
@click.option("--template-only", is_flag=True,
              help="Only regenerate student_template/nnkit/ (no zips).")
@click.option("--root", type=click.Path(file_okay=False, exists=True, path_type=Path),
              default=REPO_ROOT, show_default=False, help="Repository root (default: this checkout).")
def release(homeworks: tuple[str, ...], out: Path, template_only: bool, root: Path) -> None:
    """Build dist/<hw>/student.zip and dist/<hw>/autograder.zip from the one source.

    Fails (exit 1, dist/ untouched) with file:line for bad markers, a bad
    manifest, a missing file or a leak of solution or hidden-test content.
    """
    start = time.perf_counter()
    try:
        if template_only:
            plan = plan_release(root, homeworks=[], with_template=True)
            changed = write_template(root, plan.template)
            click.echo(f"{TEMPLATE_DIR}/: {len(plan.template)} files, "
                       f"{len(changed)} changed{': ' + ', '.join(changed) if changed else ''}")
            return
        for notebook in build_notebooks(root, list(homeworks) or None):  # each notebook from its source
            click.echo(f"{notebook.relative_to(root)}: rebuilt from its source (commit it)")
        if (root / "docs").is_dir() and write_api_doc(root):
            click.echo(f"{API_DOC}: the homework API changed, rewritten (commit it)")
        result = build_release(root, out, list(homeworks) or None, with_template=True)
    except ReleaseError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"release failed ({len(exc.problems)} problem(s)); "
                                   f"{out}/ was left as it was") from None
    for hw, files in result.zips.items():
        for name, data in files.items():
            click.echo(f"{out / hw / name}  {len(data) / 1024:.0f} KiB")
    changed = result.template_changed
    click.echo(f"{TEMPLATE_DIR}/: {len(result.template)} files, "
               + (f"{len(changed)} rewritten (commit them): {', '.join(changed)}" if changed else "up to date"))
    click.echo(f"release built in {time.perf_counter() - start:.2f} s")
