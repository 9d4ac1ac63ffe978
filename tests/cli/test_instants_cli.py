"""`--at` of the CLI is read by core/instants.py: a usage error naming the range, not a traceback."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from shopwarden.cli.main import app

ENV = {"COLUMNS": "200", "LINES": "50", "NO_COLOR": "1", "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "TTY_INTERACTIVE": None}


@pytest.mark.parametrize("command", [["health", "s1"], ["reviews", "stats", "p1"]])
@pytest.mark.parametrize("at", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "2200-01-01T00:00:00Z"])
def test_an_at_out_of_range_is_a_usage_error(tmp_path, command, at):
    r = CliRunner().invoke(app, [*command, "--at", at], env=ENV | {"SHOPWARDEN_DATABASE_URL": f"sqlite:///{tmp_path / 'sw.db'}"})
    assert r.exit_code == 2, r.output
    assert "1970-01-01" in r.output and r.exception is None or isinstance(r.exception, SystemExit)
