"""DY-DV's market lexicons: the apps, marketplaces, wallets and banks a seller may steer a buyer
to, per market, each list with its source (the `lexicons:` section of a pack)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from shopwarden.core.policy.base import Model, Source

Market = Literal["CN", "TH", "VN", "MY", "ID", "PH", "SG", "US", "UK", "EU"]
Name = Annotated[str, Field(min_length=2, max_length=40)]


class NameList(Model):
    """Names as sellers write them (any script; matched case-insensitively as whole words)."""

    names: list[Name] = Field(min_length=1)
    source: Source


class MarketLexicon(Model):
    messengers: NameList = Field(description="messenger and social apps a buyer can be added on")
    marketplaces: NameList = Field(description="other shopping and second-hand platforms")
    wallets: NameList = Field(description="e-wallets and local payment schemes (a transfer outside the platform)")
    banks: NameList = Field(description="banks whose account numbers sellers give for transfers")


class Lexicons(Model):
    markets: dict[Market, MarketLexicon] = Field(min_length=1)
    source: Source

    def names(self, kind: str) -> tuple[str, ...]:
        """Every market's names of one kind ("messengers", "marketplaces", "wallets", "banks")."""
        return tuple(dict.fromkeys(n for lex in self.markets.values() for n in getattr(lex, kind).names))
