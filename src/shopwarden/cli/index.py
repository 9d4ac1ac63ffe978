"""`shopwarden index images DIR`: bulk-register a folder of images as protected (DY-IP).

Each file goes the API's way: uploaded through the service (the decoder's size, format and
pixel limits; stored content-addressed by SHA-256), then registered exactly as
`POST /v1/protected-images` does. A file that is refused is reported with the reason and the
rest carry on; the exit code is 1 when any file was refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from shopwarden.errors import ShopwardenError

index_app = typer.Typer(help="indexes: protected images", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True)


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


@index_app.command("images")
def images(
    folder: Annotated[Path, typer.Argument(metavar="DIR", help="a folder of images (not recursive; hidden files skipped)", exists=True, file_okay=False)],
    owner: Annotated[str, typer.Option(help="the rights owner the images are registered for")] = "platform",
    note: Annotated[str | None, typer.Option(help="a note stored with every registration")] = None,
) -> None:
    """Register every image file in DIR as protected, with a progress bar and a summary."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from shopwarden.cli.shell import context as _context
    from shopwarden.service import image_index
    from shopwarden.service import images as image_service
    from shopwarden.service.auth import Principal

    ctx = _context()
    who = Principal("cli", "platform", None)
    files = _files(folder)
    registered: list[tuple[str, str]] = []
    known: list[tuple[str, str]] = []
    refused: list[tuple[str, str]] = []
    with Progress(TextColumn("registering"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err) as bar:
        task = bar.add_task("images", total=len(files))
        for path in files:
            try:
                data = path.read_bytes()
                uploaded, _ = image_service.upload(ctx, who, data)
                body = image_index.ProtectedInput(uploaded.image_id, owner, note or None)
                _, created = image_index.register_protected(ctx, who, body)
                (registered if created else known).append((path.name, uploaded.image_id))
            except ShopwardenError as exc:
                refused.append((path.name, exc.detail))
            except OSError as exc:
                refused.append((path.name, f"cannot read the file: {exc.strerror or exc}"))
            bar.advance(task)
    table = Table(title=f"{len(files)} file(s) in {folder} → protected images of {owner!r}")
    table.add_column("outcome")
    table.add_column("files", justify="right")
    table.add_row("registered", str(len(registered)))
    table.add_row("already known", str(len(known)))
    table.add_row("refused", str(len(refused)))
    out.print(table)
    for name, reason in refused:
        out.print(f"refused {name}: {reason}", markup=False, highlight=False)
    if refused:
        raise typer.Exit(1)
