"""Where policy packs come from: the packs shipped inside the package, or a YAML file.

The core parses text only (`core.policy.loader.parse_pack`); reading files happens here.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from os import PathLike
from pathlib import Path

from shopwarden.core.policy.loader import parse_pack
from shopwarden.core.policy.schema import PolicyPack

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
