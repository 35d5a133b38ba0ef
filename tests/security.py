"""What the access and security tests share: the app's routes, one record of each kind for their URLs."""
from datetime import date

from flask import url_for

from crm.calendar.services import create_feed
from crm.extensions import db
from tests import factories

STATIC_ENDPOINTS = {"static", "bootstrap.static"}
# Pages that take the record they start from as a query argument.
QUERY_RECORD = {"contacts.new": "investor_id", "followups.new": "investor_id", "timeline.new_note": "investor_id"}


def app_routes(app):
    """(endpoint, method) of every route, HEAD and OPTIONS left out."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in STATIC_ENDPOINTS:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method


def route_url(app, endpoint, ids):
    """The URL of ``endpoint`` with its arguments taken from ``ids`` (build_records())."""
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {arg: ids[arg] for arg in rule.arguments}
    with app.test_request_context():
        url = url_for(endpoint, **values)
    if endpoint in QUERY_RECORD:
        url += f"?{QUERY_RECORD[endpoint]}={ids['investor_id']}"
    return url


def build_records(admin_user, viewer_user):
    """One record of every kind, committed; returns the ids (and tokens) that the routes' arguments name."""
    investor = factories.make_investor(name="Access Investor")
    startup = factories.make_startup(name="Access Startup")
    contact = factories.make_contact(investor, name="Access Person")
    meeting = factories.make_meeting(startups=[startup], investors=[investor])
    factories.make_profile(startup)
    item = factories.make_item(startup)
    agreement = factories.make_agreement(investor, startup)
    link, token = factories.make_share_link(startup, investor)
    deal = factories.make_deal(startup, investor)
    rate = factories.make_rate("EUR", "11.50")
    follow_up = factories.make_follow_up(deal, date(2026, 3, 20))
    event = factories.make_event(startups=[startup], investors=[investor])
    _feed, feed_token = create_feed(viewer_user, viewer_user)
    duplicate = factories.make_investor(name="Access Investor AS")
    batch = _import_batch(admin_user)
    api_token_id = _api_token(viewer_user)
    db.session.commit()
    return {"investor_id": investor.id, "startup_id": startup.id, "contact_id": contact.id,
            "meeting_id": meeting.id, "user_id": viewer_user.id, "item_id": item.id, "agreement_id": agreement.id,
            "link_id": link.id, "token": token, "deal_id": deal.id, "rate_id": rate.id,
            "follow_up_id": follow_up.id, "event_id": event.id, "feed_token": feed_token,
            # the trash's restore route: a record of a kind; not in the trash, so allowed roles get 404
            "kind": "investors", "record_id": investor.id,
            # an export: any list, either format
            "name": "investors", "fmt": "csv",
            # an uploaded file, and two investors to merge
            "batch_id": batch.id, "kept_id": investor.id, "other_id": duplicate.id,
            # a viewer's API token (other roles get 404 revoking it)
            "token_id": api_token_id}


def _api_token(user):
    from crm.api.tokens import create_token
    return create_token(user, "access", user)[0].id


def _import_batch(user):
    from crm.imports.services import create_batch
    return create_batch("investors", "access.csv", b"Name;Type;Country\r\nAccess Import;Bank;NO\r\n", 10, user)
