"""OpenAPI links (3.0 `responses.<status>.links`): which response hands which id to which operation.

They document the API's workflow (an issued violation's id is what `POST /v1/violations/{id}/appeals`
takes) and let a stateful fuzzer (schemathesis) walk it with real ids instead of random ones that
mostly answer 404. Added to the generated document after FastAPI builds it: additive only, the
operations themselves are untouched. Also documents the statuses some writes answer besides their
default (a PUT that creates answers 201, a POST that repeats answers 200), and the 413 any body
over the limit gets.
"""

from __future__ import annotations

from typing import Any

# (method, path) of a link's source, the statuses it links from, and its links:
# name -> (target method, target path, parameters, requestBody or None)
_Link = tuple[str, str, dict[str, str], dict[str, Any] | None]

SHOP = ("put", "/v1/shops/{shop_id}")
VIOLATION = ("post", "/v1/violations")
APPEAL = ("post", "/v1/violations/{violation_id}/appeals")
PRODUCT = ("put", "/v1/products/{product_id}")
ORDER = ("post", "/v1/orders")
REVIEW = ("post", "/v1/reviews")
REPORT = ("post", "/v1/reviews/{review_id}/reports")
IMAGE = ("post", "/v1/images")
CREATOR = ("put", "/v1/creators/{creator_id}")
CONTENT = ("put", "/v1/content/{content_id}")
WEBHOOK = ("post", "/v1/webhooks")
NOTICE = ("post", "/v1/notices")

# Statuses a write answers besides its documented default, with the same body.
EXTRA_STATUSES: dict[tuple[str, str], dict[str, str]] = {
    CREATOR: {"201": "created"},
    ("post", "/v1/creators/{creator_id}/credits"): {"200": "the same credit again (counted once)"},
    ("post", "/v1/after-sales"): {"200": "the same after-sales request again"},
    ("post", "/v1/complaints"): {"200": "the same complaint again"},
    ("post", "/v1/shops/{shop_id}/experience/determinations"): {"200": "nothing new to determine: []"},
    SHOP: {"201": "created"},
    ("put", "/v1/brands/{brand_id}"): {"201": "created"},
    ORDER: {"200": "the same order again, or a new status of it"},
    REVIEW: {"200": "the same review again"},
    IMAGE: {"200": "the same bytes again (stored once)"},
    ("post", "/v1/protected-images"): {"200": "already registered by this owner"},
}


# Any body over the limit (app.BodyLimit), before the operation sees it.
TOO_LARGE = {"description": "the body is over the size limit", "content": {"application/problem+json": {}}}

# Problems an operation answers that its route does not list.
CONFLICTING = {"description": "a rule forbids it now (a decision is final, a limit is reached), or a concurrent request changed the record first",
               "content": {"application/problem+json": {}}}
EXTRA_PROBLEMS: dict[tuple[str, str], dict[str, str]] = {
    ("post", "/v1/messages"): {"409": "a message with this message_id was already scanned"},
}


def _shop_reads(shop: str) -> dict[str, _Link]:
    """Everything that takes a shop id, fed from an expression that yields one."""
    return {
        "GetShop": ("get", "/v1/shops/{shop_id}", {"path.shop_id": shop}, None),
        "ShopHealth": ("get", "/v1/shops/{shop_id}/health", {"path.shop_id": shop}, None),
        "ShopNotices": ("get", "/v1/shops/{shop_id}/notices", {"path.shop_id": shop}, None),
        "RectificationTasks": ("get", "/v1/shops/{shop_id}/rectification-tasks", {"path.shop_id": shop}, None),
        "ContactDeclarations": ("get", "/v1/shops/{shop_id}/contact-declarations", {"path.shop_id": shop}, None),
        "BrandQualifications": ("get", "/v1/shops/{shop_id}/brand-qualifications", {"path.shop_id": shop}, None),
        "ShopAppeals": ("get", "/v1/appeals", {"query.shop_id": shop}, None),
        "ShopCases": ("get", "/v1/cases", {"query.shop_id": shop}, None),
        "ShopReviewReports": ("get", "/v1/review-reports", {"query.shop_id": shop}, None),
        "ShopExperience": ("get", "/v1/shops/{shop_id}/experience", {"path.shop_id": shop}, None),
        "JudgeExperience": ("post", "/v1/shops/{shop_id}/experience/determinations", {"path.shop_id": shop}, None),
    }


def _shop_writes(shop: str) -> dict[str, _Link]:
    return {
        "IssueViolation": ("post", "/v1/violations", {}, {"shop_id": shop}),
        "PutProduct": ("put", "/v1/products/{product_id}", {}, {"shop_id": shop}),
        "PostMessage": ("post", "/v1/messages", {}, {"shop_id": shop}),
        "PostOrder": ("post", "/v1/orders", {}, {"shop_id": shop}),
        "PutIdentity": ("put", "/v1/shops/{shop_id}/identity", {"path.shop_id": shop}, None),
        "DeclareContact": ("post", "/v1/shops/{shop_id}/contact-declarations", {"path.shop_id": shop}, None),
        "FileQualification": ("post", "/v1/shops/{shop_id}/brand-qualifications", {"path.shop_id": shop}, None),
    }


def _violation_ops(vid: str) -> dict[str, _Link]:
    return {
        "GetViolation": ("get", "/v1/violations/{violation_id}", {"path.violation_id": vid}, None),
        "FileAppeal": ("post", "/v1/violations/{violation_id}/appeals", {"path.violation_id": vid}, None),
        "Revoke": ("post", "/v1/violations/{violation_id}/revocations", {"path.violation_id": vid}, None),
        "ExtendToShop": ("post", "/v1/violations/{violation_id}/extensions", {"path.violation_id": vid}, None),
    }


def _creator_ops(cid: str) -> dict[str, _Link]:
    return {
        "GetCreator": ("get", "/v1/creators/{creator_id}", {"path.creator_id": cid}, None),
        "CreatorHealth": ("get", "/v1/creators/{creator_id}/health", {"path.creator_id": cid}, None),
        "CreatorNotices": ("get", "/v1/creators/{creator_id}/notices", {"path.creator_id": cid}, None),
        "EarnCredit": ("post", "/v1/creators/{creator_id}/credits", {"path.creator_id": cid}, None),
        "PutContent": ("put", "/v1/content/{content_id}", {}, {"creator_id": cid}),
        "IssueCreatorViolation": ("post", "/v1/violations", {}, {"creator_id": cid}),
    }


def _content_ops(cid: str) -> dict[str, _Link]:
    return {
        "GetContent": ("get", "/v1/content/{content_id}", {"path.content_id": cid}, None),
        "LiveSegment": ("post", "/v1/content/{content_id}/segments", {"path.content_id": cid}, None),
        "DecideContent": ("post", "/v1/content/{content_id}/decision", {"path.content_id": cid}, None),
    }


def _appeal_ops(aid: str) -> dict[str, _Link]:
    return {
        "GetAppeal": ("get", "/v1/appeals/{appeal_id}", {"path.appeal_id": aid}, None),
        "DecideAppeal": ("post", "/v1/appeals/{appeal_id}/decision", {"path.appeal_id": aid}, None),
    }


def _case_ops(cid: str) -> dict[str, _Link]:
    return {
        "GetCase": ("get", "/v1/cases/{case_id}", {"path.case_id": cid}, None),
        "DecideCase": ("post", "/v1/cases/{case_id}/decision", {"path.case_id": cid}, None),
    }


def _product_ops(pid: str, shop: str) -> dict[str, _Link]:
    return {
        "GetProduct": ("get", "/v1/products/{product_id}", {"path.product_id": pid}, None),
        "ProductMatches": ("get", "/v1/products/{product_id}/matches", {"path.product_id": pid}, None),
        "ProductRating": ("get", "/v1/products/{product_id}/rating", {"path.product_id": pid}, None),
        "ProductReviews": ("get", "/v1/products/{product_id}/reviews", {"path.product_id": pid}, None),
        "BanProduct": ("post", "/v1/products/{product_id}/ban", {"path.product_id": pid}, None),
        "DisputeMatch": ("post", "/v1/products/{product_id}/match-disputes", {"path.product_id": pid}, None),
        "OrderProduct": ("post", "/v1/orders", {}, {"shop_id": shop, "product_id": pid}),
    }


def _review_ops(rid: str) -> dict[str, _Link]:
    return {
        "GetReview": ("get", "/v1/reviews/{review_id}", {"path.review_id": rid}, None),
        "ReportReview": ("post", "/v1/reviews/{review_id}/reports", {"path.review_id": rid}, None),
    }


def _report_ops(rid: str) -> dict[str, _Link]:
    return {
        "GetReport": ("get", "/v1/review-reports/{report_id}", {"path.report_id": rid}, None),
        "DecideReport": ("post", "/v1/review-reports/{report_id}/decision", {"path.report_id": rid}, None),
    }


def _prefixed(prefix: str, links: dict[str, _Link]) -> dict[str, _Link]:
    return {f"{prefix}{name}": link for name, link in links.items()}


def _first_two(make, *pointers: str) -> dict[str, _Link]:
    """Links from the first and the second item of a list answer."""
    out: dict[str, _Link] = {}
    for i, label in ((0, "First"), (1, "Second")):
        out |= _prefixed(label, make(*(f"$response.body#/{p.format(i=i)}" for p in pointers)))
    return out


BODY = "$response.body#/"
# source (method, path) -> (statuses, links)
LINKS: dict[tuple[str, str], tuple[tuple[str, ...], dict[str, _Link]]] = {
    # ---- lists: the roots a walk starts from (the database's existing records) ----
    ("get", "/v1/policies"): (("200",), {
        f"{label}Pack": ("get", "/v1/policies/{policy_id}", {"path.policy_id": f"{BODY}{i}/id"}, None) for i, label in ((0, "First"), (1, "Second"), (2, "Third"))
    } | {
        f"ShopUnder{label}Pack": ("put", "/v1/shops/{shop_id}", {}, {"policy": f"{BODY}{i}/id"}) for i, label in ((0, "First"), (1, "Second"), (2, "Third"))
    } | {
        f"CreatorUnder{label}Pack": ("put", "/v1/creators/{creator_id}", {}, {"policy": f"{BODY}{i}/id"}) for i, label in ((0, "First"), (1, "Second"), (2, "Third"))
    }),
    ("get", "/v1/appeals"): (("200",), _first_two(_appeal_ops, "{i}/id")
                             | _first_two(lambda v: _prefixed("Appealed", _violation_ops(v)), "{i}/violation_id")),
    ("get", "/v1/cases"): (("200",), _first_two(_case_ops, "{i}/id") | _first_two(lambda s: _shop_reads(s), "{i}/shop_id")),
    ("get", "/v1/brands"): (("200",), {
        "UpdateBrand": ("put", "/v1/brands/{brand_id}", {"path.brand_id": f"{BODY}0/brand_id"}, None),
    }),
    ("get", "/v1/brand-qualifications"): (("200",), _first_two(lambda q: {
        "ReviewQualification": ("post", "/v1/brand-qualifications/{qualification_id}/review", {"path.qualification_id": q}, None)}, "{i}/id")
        | _first_two(lambda s: {"ShopQualifications": ("get", "/v1/shops/{shop_id}/brand-qualifications", {"path.shop_id": s}, None)}, "{i}/shop_id")),
    ("get", "/v1/review-reports"): (("200",), _first_two(_report_ops, "reports/{i}/report_id")
                                    | _first_two(_review_ops, "reports/{i}/review_id")),
    ("get", "/v1/content"): (("200",), _first_two(_content_ops, "{i}/content_id") | _first_two(_creator_ops, "{i}/creator_id")),
    ("get", "/v1/shadow-disagreements"): (("200",), _first_two(lambda i: {
        "LabelDisagreement": ("post", "/v1/shadow-disagreements/{shadow_id}/label", {"path.shadow_id": i}, None)}, "{i}/shadow_id")
        | _first_two(lambda s: {"GetShop": ("get", "/v1/shops/{shop_id}", {"path.shop_id": s}, None)}, "{i}/shop_id")),
    # ---- writes: what they create, and what takes its id ----
    CREATOR: (("200", "201"), _creator_ops(f"{BODY}creator_id")),
    ("post", "/v1/shops/{shop_id}/experience/determinations"): (("200", "201"), {
        f"{label}Fraud": ("post", "/v1/determinations/{determination_id}/fraud", {"path.determination_id": f"{BODY}{i}/id"}, None)
        for i, label in ((0, "First"), (1, "Second"))}),
    CONTENT: (("200",), _content_ops(f"{BODY}content_id") | _prefixed("Issued", _violation_ops(f"{BODY}violation_id"))),
    SHOP: (("200", "201"), _shop_reads(f"{BODY}shop_id") | _shop_writes(f"{BODY}shop_id")),
    VIOLATION: (("201",), _violation_ops(f"{BODY}id") | {
        "ShopHealth": ("get", "/v1/shops/{shop_id}/health", {"path.shop_id": f"{BODY}shop_id"}, None),
        "AnotherLikeIt": ("post", "/v1/violations", {}, {"shop_id": f"{BODY}shop_id", "type": f"{BODY}type", "severity": f"{BODY}severity"}),
    }),
    ("get", "/v1/violations/{violation_id}"): (("200",), {
        "AnotherLikeIt": ("post", "/v1/violations", {}, {"shop_id": f"{BODY}shop_id", "type": f"{BODY}type", "severity": f"{BODY}severity"}),
        "FileAppeal": ("post", "/v1/violations/{violation_id}/appeals", {"path.violation_id": f"{BODY}id"}, None),
    }),
    ("post", "/v1/violations/{violation_id}/revocations"): (("201",), {
        "GetViolation": ("get", "/v1/violations/{violation_id}", {"path.violation_id": "$request.path.violation_id"}, None),
    }),
    APPEAL: (("201",), _appeal_ops(f"{BODY}id")),
    ("post", "/v1/appeals/{appeal_id}/decision"): (("200",), {
        "GetAppeal": ("get", "/v1/appeals/{appeal_id}", {"path.appeal_id": "$request.path.appeal_id"}, None),
    }),
    ("post", "/v1/cases/{case_id}/decision"): (("200",), {
        "GetCase": ("get", "/v1/cases/{case_id}", {"path.case_id": "$request.path.case_id"}, None),
    }),
    PRODUCT: (("200",), _product_ops(f"{BODY}product_id", f"{BODY}shop_id") | _case_ops(f"{BODY}cases/0")
              | _prefixed("Issued", _violation_ops(f"{BODY}violations/0"))),
    ("post", "/v1/messages"): (("201",), _case_ops(f"{BODY}cases/0") | _prefixed("Issued", _violation_ops(f"{BODY}violations/0"))),
    ("post", "/v1/products/{product_id}/ban"): (("201",), {
        "ProductMatches": ("get", "/v1/products/{product_id}/matches", {"path.product_id": f"{BODY}product_id"}, None),
    } | _prefixed("Ban", _violation_ops(f"{BODY}violation/id"))),
    ("get", "/v1/products/{product_id}/matches"): (("200",), {
        "DisputeMatch": ("post", "/v1/products/{product_id}/match-disputes", {"path.product_id": f"{BODY}product_id"},
                         {"banned_product_id": f"{BODY}matches/0/banned_product_id"}),
    }),
    ("post", "/v1/products/{product_id}/match-disputes"): (("201",), _case_ops(f"{BODY}id")),
    ORDER: (("200", "201"), {
        "ReviewIt": ("post", "/v1/reviews", {}, {"order_id": f"{BODY}order_id"}),
        "ProductRating": ("get", "/v1/products/{product_id}/rating", {"path.product_id": f"{BODY}product_id"}, None),
    }),
    REVIEW: (("200", "201"), _review_ops(f"{BODY}review_id") | {
        "ProductRating": ("get", "/v1/products/{product_id}/rating", {"path.product_id": f"{BODY}product_id"}, None),
        "ProductReviews": ("get", "/v1/products/{product_id}/reviews", {"path.product_id": f"{BODY}product_id"}, None),
    }),
    REPORT: (("201",), _report_ops(f"{BODY}report_id")),
    ("post", "/v1/review-reports/{report_id}/decision"): (("200",), {
        "GetReport": ("get", "/v1/review-reports/{report_id}", {"path.report_id": "$request.path.report_id"}, None),
    }),
    ("post", "/v1/shops/{shop_id}/brand-qualifications"): (("201",), {
        "ReviewQualification": ("post", "/v1/brand-qualifications/{qualification_id}/review", {"path.qualification_id": f"{BODY}id"}, None),
    }),
    IMAGE: (("200", "201"), {
        "GetImage": ("get", "/v1/images/{image_id}", {"path.image_id": f"{BODY}image_id"}, None),
        "Protect": ("post", "/v1/protected-images", {}, {"image_id": f"{BODY}image_id"}),
        "Registrations": ("get", "/v1/protected-images/{image_id}", {"path.image_id": f"{BODY}image_id"}, None),
    }),
    WEBHOOK: (("201",), {
        "GetWebhook": ("get", "/v1/webhooks/{webhook_id}", {"path.webhook_id": f"{BODY}id"}, None),
        "Deliveries": ("get", "/v1/webhooks/{webhook_id}/deliveries", {"path.webhook_id": f"{BODY}id"}, None),
        "RedeliverFailed": ("post", "/v1/webhooks/{webhook_id}/redeliver", {"path.webhook_id": f"{BODY}id"}, None),
        "DeleteWebhook": ("delete", "/v1/webhooks/{webhook_id}", {"path.webhook_id": f"{BODY}id"}, None),
    }),
    ("get", "/v1/webhooks/{webhook_id}/deliveries"): (("200",), {
        "Redeliver": ("post", "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
                      {"path.webhook_id": f"{BODY}0/webhook_id", "path.delivery_id": f"{BODY}0/id"}, None),
    }),
    NOTICE: (("201",), {
        "GetNotice": ("get", "/v1/notices/{notice_id}", {"path.notice_id": f"{BODY}id"}, None),
        "DecideNotice": ("post", "/v1/notices/{notice_id}/decision", {"path.notice_id": f"{BODY}id"}, None),
        "CounterNotice": ("post", "/v1/notices/{notice_id}/counter-notice", {"path.notice_id": f"{BODY}id"}, None),
        "Proceedings": ("post", "/v1/notices/{notice_id}/proceedings", {"path.notice_id": f"{BODY}id"}, None),
        "TrustNotifier": ("put", "/v1/trusted-flaggers/{notifier_id}", {"path.notifier_id": f"{BODY}notifier/id"}, None),
        "RevokeTrust": ("post", "/v1/trusted-flaggers/{notifier_id}/revocation", {"path.notifier_id": f"{BODY}notifier/id"}, None),
        "Complain": ("post", "/v1/notices/{notice_id}/complaints", {"path.notice_id": f"{BODY}id"}, None),
    }),
    ("put", "/v1/trusted-flaggers/{notifier_id}"): (("200",), {
        "RevokeTrust": ("post", "/v1/trusted-flaggers/{notifier_id}/revocation", {"path.notifier_id": f"{BODY}notifier_id"}, None),
    }),
    ("post", "/v1/notices/{notice_id}/complaints"): (("201",), {
        "GetComplaint": ("get", "/v1/internal-complaints/{complaint_id}", {"path.complaint_id": f"{BODY}id"}, None),
        "DecideComplaint": ("post", "/v1/internal-complaints/{complaint_id}/decision", {"path.complaint_id": f"{BODY}id"}, None),
    }),
    ("post", "/v1/misuse-actions/{action_id}/complaints"): (("201",), {
        "GetComplaint": ("get", "/v1/internal-complaints/{complaint_id}", {"path.complaint_id": f"{BODY}id"}, None),
        "DecideComplaint": ("post", "/v1/internal-complaints/{complaint_id}/decision", {"path.complaint_id": f"{BODY}id"}, None),
    }),
    ("get", "/v1/misuse-actions"): (("200",), {
        "ComplainOfSuspension": ("post", "/v1/misuse-actions/{action_id}/complaints", {"path.action_id": f"{BODY}0/id"}, None),
    }),
    ("post", "/v1/notices/{notice_id}/decision"): (("200",), {
        "CounterNotice": ("post", "/v1/notices/{notice_id}/counter-notice", {"path.notice_id": "$request.path.notice_id"}, None),
        "Statement": ("get", "/v1/statements", {"query.measure_id": "$request.path.notice_id"}, None),
    }),
    ("post", "/v1/protected-images"): (("200", "201"), {
        "Registrations": ("get", "/v1/protected-images/{image_id}", {"path.image_id": f"{BODY}image_id"}, None),
        "GetImage": ("get", "/v1/images/{image_id}", {"path.image_id": f"{BODY}image_id"}, None),
    }),
}


def add_links(schema: dict) -> dict:
    """Add EXTRA_STATUSES and LINKS to a generated OpenAPI document (in place); operations or
    responses it does not have are skipped, so a renamed route loses its links, not the document."""
    paths = schema.get("paths", {})
    for ops in paths.values():
        for method, op in ops.items():
            if "requestBody" in op and "413" not in op["responses"]:
                op["responses"]["413"] = TOO_LARGE
            if method in ("post", "put") and "409" not in op["responses"]:  # any write may lose a race, or meet a final decision
                op["responses"]["409"] = CONFLICTING
    for (method, path), problems in EXTRA_PROBLEMS.items():
        op = paths.get(path, {}).get(method)
        for status, description in problems.items():
            if op is not None and status not in op["responses"]:
                op["responses"][status] = {"description": description, "content": {"application/problem+json": {}}}
    for (method, path), statuses in EXTRA_STATUSES.items():
        op = paths.get(path, {}).get(method)
        if op is None:
            continue
        default = next((r for s, r in op["responses"].items() if s.startswith("2")), None)
        for status, description in statuses.items():
            if status not in op["responses"] and default is not None:
                op["responses"][status] = {k: v for k, v in default.items() if k != "links"} | {"description": description}
    for (method, path), (linked_statuses, links) in LINKS.items():
        op = paths.get(path, {}).get(method)
        if op is None:
            continue
        for status in linked_statuses:
            response = op["responses"].get(status)
            if response is None:
                continue
            out = response.setdefault("links", {})
            for name, (target_method, target_path, parameters, body) in links.items():
                target = paths.get(target_path, {}).get(target_method)
                if target is None or "operationId" not in target:
                    continue
                link: dict[str, Any] = {"operationId": target["operationId"]}
                if parameters:
                    link["parameters"] = dict(parameters)
                if body is not None:
                    link["requestBody"] = dict(body)
                out[name] = link
    return schema
