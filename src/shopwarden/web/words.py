"""Texts that reach the pages from elsewhere (error titles, field names, the ids of statuses,
outcomes, kinds and severities the services return), listed here so the catalogue has them;
templates translate them where they show them (`_(v.status)`)."""

from shopwarden.web.i18n import N_

SHOWN_ELSEWHERE = (
    N_("Invalid input"), N_("Unauthorized"), N_("Forbidden"), N_("Not found"), N_("Conflict with a rule"), N_("Appeal window closed"),
    N_("Appeal limit reached"), N_("An appeal is still pending"), N_("Already decided"), N_("Too large"), N_("Form refused"),
    N_("reason"), N_("evidence"), N_("file"), N_("outcome"), N_("type"), N_("severity"), N_("points"), N_("title"), N_("description"),
    N_("at"), N_("key"), N_("request"), N_("Internal error"), N_("form"), N_("name"), N_("text"), N_("attributes"), N_("brand"),
    # statuses, outcomes, kinds and severities the service returns as ids
    N_("active"), N_("expired"), N_("revoked"), N_("pending"), N_("granted"), N_("rejected"), N_("open"), N_("overdue"),
    N_("closed"), N_("escalated"), N_("resubmitted"), N_("published"), N_("pending_review"), N_("taken_down"), N_("banned"),
    N_("decided"), N_("violation"), N_("dismiss"), N_("upheld"), N_("allow"), N_("review"), N_("block"),
    N_("listing"), N_("message"), N_("shop"), N_("protected"), N_("violation_issued"), N_("previous_rejected"),
    N_("appeal_filed"), N_("appeal_decided"), N_("violation_revoked"), N_("sanction_started"), N_("sanction_ended"), N_("sanction_lifted"),
    N_("minor"), N_("general"), N_("serious"), N_("critical"), N_("especially_serious"),
    N_("url"), N_("image"), N_("document"), N_("order"), N_("chat"),
    # review reports: the kinds a seller reports (RV-K-1..6, other), a review's visibility, the form's fields
    N_("repeated"), N_("coercive"), N_("competitor"), N_("diversion"), N_("wrong"), N_("invalid"), N_("other"),
    N_("public"), N_("hidden"), N_("kind"), N_("evidence_text"),
    # same-product disputes (what a match agreed on) and brand qualifications (their statuses)
    N_("images"), N_("detail"), N_("category"), N_("approved"), N_("match_dispute"),
    # creators (CR-7, CR-13): health bands, their privileges, content kinds and statuses, the severest tier
    N_("healthy"), N_("attention"), N_("unhealthy"), N_("severe"),
    N_("promote_products"), N_("live_selling"), N_("showcase"), N_("recommendation"), N_("commission_payout"),
    N_("video"), N_("live"), N_("removed"), N_("cut"), N_("ended"),
    N_("transcript"), N_("links"), N_("content_removed"), N_("content_blocked"), N_("links_removed"),
    N_("decided_violation"), N_("decided_dismiss"), N_("frozen"), N_("forfeited"),
    # the experience score (DY-QL): indicators, their groups, the measures of a determination
    N_("negative_review_rate"), N_("quality_return_rate"), N_("late_dispatch_rate"), N_("complaint_rate"), N_("after_sales_rate"),
    N_("product"), N_("logistics"), N_("service"), N_("order_limit"), N_("payout_frozen"), N_("penalty_fee"),
    # what leaves the window in the forecast (DY-QL-5), counted
    N_("late_dispatches"), N_("negative_reviews"), N_("quality_after_sales"), N_("complaints"), N_("after_sales"),
    # the determinations queue (DY-QL-3/4): its states and filters, the kinds of fraud an operator finds
    N_("appealed"), N_("fraud"), N_("lifted"), N_("intent"), N_("batch_risk"),
    # notices (DSA Art. 16, 22, 23; E-Commerce Law art. 43): outcomes, who filed, the measure's states, who is told
    N_("action"), N_("no_action"), N_("manifestly_unfounded"), N_("rights_owner"), N_("trusted_flagger"), N_("individual"),
    N_("in_force"), N_("counter_noticed"), N_("notifier"), N_("seller"), N_("content"), N_("affected"),  # an internal complaint's side (DSA Art. 20)
    # the transparency report (DSA Art. 24): sources of a measure, how automated its decision was
    N_("own_initiative"), N_("notice"), N_("report"), N_("automated_fully"), N_("automated_partially"), N_("automated_not"),
    N_("notice.listing_disabled"), N_("notice.image_disabled"), N_("notice.content_disabled"), N_("notice.shop_restricted"),
    # internal complaints (DSA Art. 20, 23): what a complaint is against, an Art. 23 action, the deciding person's field
    N_("subject_notice"), N_("subject_misuse"), N_("suspension"), N_("decided_by"),
)
