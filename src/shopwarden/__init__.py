"""shopwarden: a marketplace governance engine.

The public Python API: policy packs (`PolicyPack`), the ledger fold (`fold`, `Standing`) and its
events, and the error tree.
"""

from shopwarden.core.ledger.events import AppealDecided, AppealFiled, ViolationIssued, ViolationRevoked
from shopwarden.core.ledger.standing import Standing, fold
from shopwarden.core.policy.schema import PolicyPack
from shopwarden.errors import ShopwardenError

__version__ = "0.1.0"

__all__ = [
    "AppealDecided",
    "AppealFiled",
    "PolicyPack",
    "ShopwardenError",
    "Standing",
    "ViolationIssued",
    "ViolationRevoked",
    "fold",
    "__version__",
]
