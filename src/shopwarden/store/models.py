"""Every table, imported together so Alembic and tests see one metadata."""

from shopwarden.store.appeals import Appeal, AppealDecision
from shopwarden.store.base import Base
from shopwarden.store.keys import ApiKey
from shopwarden.store.shops import Shop
from shopwarden.store.violations import Violation

__all__ = ["Base", "Shop", "Violation", "Appeal", "AppealDecision", "ApiKey"]
