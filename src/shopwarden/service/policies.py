"""Where policy packs come from: the packs shipped inside the package, or a YAML file.

The core parses text only (`core.policy.loader.parse_pack`); reading files happens here.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path

from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.core.policy.versions import schedule
from shopwarden.errors import PolicyError, PolicyProblem

_PACKS_PACKAGE = "shopwarden.core.policy"
_PACKS_DIR = "packs"


def builtin_pack_texts() -> dict[str, str]:
    """The YAML text of every shipped pack, by file stem (which equals the pack's id)."""
    folder = resources.files(_PACKS_PACKAGE).joinpath(_PACKS_DIR)
    texts = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name.endswith(".yaml"):
            texts[entry.name.removesuffix(".yaml")] = entry.read_text(encoding="utf-8")
    return texts


@cache
def _builtin_packs() -> dict[str, PolicyPack]:
    packs = {}
    texts = builtin_pack_texts()
    for stem, text in texts.items():
        pack = parse_pack(text, source=f"builtin:{stem}.yaml", bases=texts)
        packs[pack.id] = pack
    return packs


def load_builtin_packs() -> dict[str, PolicyPack]:
    """Every shipped pack by id, parsed once per process (packs are frozen; the dict is a copy)."""
    return dict(_builtin_packs())


def load_pack_file(path: str | PathLike[str]) -> PolicyPack:
    """The pack in a YAML file; raises `PolicyError` listing every problem, `OSError` if unreadable."""
    file = Path(path)
    return parse_pack(file.read_text(encoding="utf-8"), source=str(file), bases=builtin_pack_texts())


def load_packs(folder: str | PathLike[str] | None = None) -> dict[str, PolicyPack]:
    """The shipped packs and every `*.yaml` in `folder`, by id, with the versions of one id scheduled
    by their `effective_from` (`core.policy.versions.schedule`). A file in `folder` is parsed as
    `policy validate` parses it; every problem of every file is raised at once (`PolicyError`), as are
    two versions of one id taking effect at the same instant."""
    if folder is None:
        return load_builtin_packs()
    found: list[PolicyPack] = list(load_builtin_packs().values())
    problems: list[PolicyProblem] = []
    for file in sorted(Path(folder).glob("*.yaml")):
        try:
            found.append(load_pack_file(file))
        except PolicyError as exc:
            problems.extend(replace(p, path=f"{file.name}: {p.path}") for p in exc.problems)
    if problems:
        raise PolicyError(str(folder), problems)
    return schedule(found, source=str(folder))
