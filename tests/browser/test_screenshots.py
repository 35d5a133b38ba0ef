"""The README's pictures: the main pages with the demo data, at a laptop's and a phone's width.

Run only when asked, since they rewrite files in the repository:
``CRM_SCREENSHOTS=1 python -m pytest tests/browser/test_screenshots.py``.
"""
import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.common.timeutil import local_today
from crm.demo import ADMIN_EMAIL, seed_demo
from crm.extensions import db
from crm.models import Startup, StartupProfile, User
from crm.sharing import services as sharing
from tests.browser.conftest import guarded_context, serve, sign_in

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 375, "height": 812}}

pytestmark = pytest.mark.skipif(os.environ.get("CRM_SCREENSHOTS") != "1",
                                reason="screenshots are made only with CRM_SCREENSHOTS=1 (they rewrite docs/screenshots)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A server with the demo data set, the admin's password, a startup with a profile and a link to it."""
    found = {}

    def seed():
        found["password"] = seed_demo()[1]
        startup = db.session.scalar(select(Startup).join(StartupProfile, StartupProfile.startup_id == Startup.id)
                                    .order_by(Startup.id).limit(1))
        _link, token = sharing.create_share_link(startup, sharing.LinkData(
            expires_on=local_today() + timedelta(days=30), label="Screenshots"),
            db.session.scalar(select(User).where(User.email == ADMIN_EMAIL)))
        found.update(startup=startup.id, token=token)

    server, stop = serve(tmp_path_factory.mktemp("demo") / "demo.sqlite3", seed, PIPELINE_CARDS=4)
    yield server, found
    stop()


@pytest.mark.parametrize("size", SIZES)
def test_screenshots_of_the_main_pages(chromium, demo, size):
    server, found = demo
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    outside = []
    options = dict(viewport=SIZES[size], device_scale_factor=1)
    if size == "phone":
        options.update(is_mobile=True, has_touch=True)
    staff, reader = (guarded_context(chromium, server, outside, **options) for _ in range(2))
    page = sign_in(staff.new_page(), "admin", password=found["password"], email=ADMIN_EMAIL)
    for name, path, who in [("dashboard", "/", page), ("pipeline", "/deals/", page),
                            ("startup", f"/startups/{found['startup']}", page),
                            ("share-page", f"/s/{found['token']}", reader.new_page())]:
        assert who.goto(path).status == 200
        who.screenshot(path=SCREENSHOTS / f"{name}-{size}.png", animations="disabled")
    staff.close()
    reader.close()
    assert outside == []
