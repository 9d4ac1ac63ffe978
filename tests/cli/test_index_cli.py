"""`shopwarden index images DIR`: uploads and registers a folder as protected images, with a
summary of what was registered, already known and refused (and why)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from shopwarden.cli.main import app

ENV = {"COLUMNS": "160", "LINES": "50", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}


def _png(seed: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray((np.random.default_rng(seed).random((120, 160, 3)) * 255).astype(np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def _jpeg(seed: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray((np.random.default_rng(seed).random((90, 90, 3)) * 255).astype(np.uint8)).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def test_index_images_registers_a_folder(tmp_path: Path):
    folder = tmp_path / "imgs"
    folder.mkdir()
    files = {"a.png": _png(1), "b.png": _png(2), "c.jpg": _jpeg(3), "corrupt.jpg": b"\xff\xd8\xff\xe0 not really a jpeg" * 4}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / ".hidden").write_bytes(b"skipped")
    env = ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"}

    first = CliRunner().invoke(app, ["index", "images", str(folder), "--owner", "acme"], env=env)
    assert first.exit_code == 1, first.output  # one file refused
    assert "4 file(s)" in first.output
    assert "registered    │     3" in first.output and "already known │     0" in first.output and "refused       │     1" in first.output
    assert "refused corrupt.jpg: file: is not an image this server reads" in first.output

    from shopwarden.service import image_index
    from shopwarden.service.auth import Principal
    from shopwarden.service.context import open_context

    ctx = open_context(env["SHOPWARDEN_DATABASE_URL"])
    who = Principal("t", "platform", None)
    for name in ("a.png", "b.png", "c.jpg"):
        [entry] = image_index.protected_of(ctx, who, hashlib.sha256(files[name]).hexdigest())
        assert entry.owner == "acme" and entry.source == "protected"

    (folder / "corrupt.jpg").unlink()
    again = CliRunner().invoke(app, ["index", "images", str(folder), "--owner", "acme"], env=env)
    assert again.exit_code == 0, again.output
    assert "registered    │     0" in again.output and "already known │     3" in again.output and "refused       │     0" in again.output


def test_index_images_needs_a_folder(tmp_path: Path):
    r = CliRunner().invoke(app, ["index", "images", str(tmp_path / "missing")], env=ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"})
    assert r.exit_code == 2
