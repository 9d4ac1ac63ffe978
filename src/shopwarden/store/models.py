"""Every table, imported together so Alembic and tests see one metadata."""

from shopwarden.store.appeals import Appeal, AppealDecision
from shopwarden.store.bans import BanRow, MatchAction
from shopwarden.store.base import Base
from shopwarden.store.brands import BrandRow, QualificationReview, QualificationRow
from shopwarden.store.cases import CaseDecision, CaseRow
from shopwarden.store.claims import ClaimRow  # noqa: F401 (console claims, 0010)
from shopwarden.store.consumed import ConsumedEvent  # noqa: F401 (the consumer's de-duplication keys, 0020)
from shopwarden.store.creators import ContentAction, ContentRow, CreatorRow, CreditRow, SegmentRow  # noqa: F401 (creators, 0016)
from shopwarden.store.declarations import ContactDeclaration
from shopwarden.store.experience import (
                                         AfterSaleRow,
                                         ComplaintRow,
                                         ExperienceDay,
                                         ExperienceMark,
                                         ExperienceSnapshot,
                                         FraudFinding,
                                         PeerCount,
                                         PeerRoll,
                                         PeerTotal,
                                         QualityDetermination,
)
from shopwarden.store.image_index import IndexedListing, IndexEntry
from shopwarden.store.image_texts import ImageTextRow
from shopwarden.store.images import ImageBlob, ImageOwner, ImageRow
from shopwarden.store.keys import ApiKey
from shopwarden.store.messages import MessageRow
from shopwarden.store.notices import (  # noqa: F401 (DSA notices, 0023; complaints and revocations, 0025)
    InternalComplaint,
    InternalComplaintDecision,
    MisuseAction,
    NoticeEvent,
    NoticeRow,
    TrustedFlagger,
    TrustedFlaggerRevocation,
    UnfoundedComplaint,
)
from shopwarden.store.open_items import OpenItem  # noqa: F401 (the queues' index, 0011)
from shopwarden.store.outbox import OutboxCursor, OutboxRow  # noqa: F401 (the transactional outbox, 0020)
from shopwarden.store.products import ProductRow, ProductVersion
from shopwarden.store.rectification import TaskEvent, TaskRow
from shopwarden.store.review_reports import ReportDecision, ReportingAction, ReviewReport
from shopwarden.store.reviews import OrderRow, ReviewHide, ReviewRow, ReviewSignals, ShopIdentity
from shopwarden.store.revocations import Revocation
from shopwarden.store.shadows import ShadowFinding  # noqa: F401 (shadow detectors, 0024)
from shopwarden.store.shops import Shop
from shopwarden.store.statements import StatementRow  # noqa: F401 (statements of reasons, 0022)
from shopwarden.store.violations import Violation
from shopwarden.store.web_sessions import WebSession  # noqa: F401 (page sessions, 0013)
from shopwarden.store.webhooks import DeliveryRow, WebhookRow  # noqa: F401 (webhooks, 0021)

__all__ = [
    "ApiKey", "Appeal", "BanRow", "MatchAction", "ImageBlob", "ImageOwner", "ImageRow", "IndexEntry", "IndexedListing", "ImageTextRow", "AppealDecision", "Base", "BrandRow", "CaseDecision", "CaseRow", "ContactDeclaration",
    "MessageRow", "ProductRow", "ProductVersion", "QualificationReview", "QualificationRow", "Shop", "TaskEvent",
    "TaskRow", "Revocation", "Violation",
    "AfterSaleRow", "ComplaintRow", "ExperienceDay", "ExperienceMark", "ExperienceSnapshot", "FraudFinding", "PeerCount", "PeerRoll", "PeerTotal",
    "QualityDetermination",
    "OrderRow", "ReportDecision", "ReportingAction", "ReviewHide", "ReviewReport", "ReviewRow", "ReviewSignals", "ShopIdentity",
]
