"""Two-factor sign-in: set up through the pages with an authenticator app, sign in with a code or a
one-time recovery code, turn it off with the password, and the admin's requirement for admins and managers."""
import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from crm.models import RecoveryCode, User
from tests.conftest import PASSWORD, sign_in
from tests.test_startups import field_errors, page_text

WRONG_CODE = "That code is not right. Try the newest code from your app."


def set_up_two_factor(client) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on as a person does: read the key off the setup page, type the app's code.
    Returns the secret (the authenticator app) and the recovery codes shown."""
    setup = client.post("/auth/two-factor")
    assert setup.status_code == 200
    text = page_text(setup)
    assert "<svg" in text  # the QR code, drawn on the server
    secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', text).group(1)
    assert re.search(r'name="secret"[^>]*value="([A-Z2-7]+)"', text).group(1) == secret
    done = client.post("/auth/two-factor/enable", data={"secret": secret, "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200, page_text(done)
    assert "Two-factor sign-in is on." in page_text(done)
    codes = re.findall(r"<li>([0-9a-f]{6}-[0-9a-f]{6})</li>", page_text(done))
    assert len(codes) == 10
    return secret, codes


def wrong_code(secret: str) -> str:
    """Six digits that are not the app's code in this, the previous or the next 30 seconds."""
    totp = pyotp.TOTP(secret)
    return next(code for code in ("123456", "654321", "111111")
                if not totp.verify(code, valid_window=1))


def log_in(client, email, password=PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password})


def is_signed_in(client) -> bool:
    response = client.get("/investors/")
    if response.status_code == 302:
        assert response.location.startswith("/auth/")
        return False
    assert response.status_code == 200
    return True


# --- setting it up ------------------------------------------------------------------------------------

def test_a_user_sets_up_two_factor_sign_in_and_sees_ten_recovery_codes_once(db, viewer_client, viewer_user):
    secret, codes = set_up_two_factor(viewer_client)

    assert len(set(codes)) == 10
    page = page_text(viewer_client.get("/auth/two-factor"))
    assert "10 unused recovery codes left." in page
    assert not any(code in page for code in codes)  # shown only once
    db.session.expire_all()
    user = db.session.get(User, viewer_user.id)
    assert user.has_two_factor and user.totp_secret == secret
    stored = list(db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)))
    assert len(stored) == 10 and not set(stored) & set(codes)  # only hashes are kept


def test_a_wrong_code_during_setup_leaves_two_factor_off_and_says_why(db, viewer_client, viewer_user):
    text = page_text(viewer_client.post("/auth/two-factor"))
    secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', text).group(1)
    wrong = wrong_code(secret)

    response = viewer_client.post("/auth/two-factor/enable", data={"secret": secret, "code": wrong})

    assert response.status_code == 200
    assert "That code does not match." in field_errors(response, "code")
    assert secret in page_text(response)  # the same key, to try again
    db.session.expire_all()
    assert not db.session.get(User, viewer_user.id).has_two_factor


def test_a_tampered_setup_key_starts_the_setup_again(db, viewer_client, viewer_user):
    response = viewer_client.post("/auth/two-factor/enable", data={"secret": "not-a-key", "code": "123456"},
                                  follow_redirects=True)
    assert "Start the setup again." in page_text(response)
    db.session.expire_all()
    assert not db.session.get(User, viewer_user.id).has_two_factor


# --- signing in with it -------------------------------------------------------------------------------

def test_signing_in_asks_for_the_code_after_the_password_and_a_current_code_signs_in(app, manager_client):
    secret, _codes = set_up_two_factor(manager_client)
    client = app.test_client()

    response = log_in(client, "manager@example.com")

    assert response.status_code == 302 and response.location.startswith("/auth/login/code")
    assert not is_signed_in(client)  # the password alone is not enough
    assert "Enter your code" in page_text(client.get(response.location))
    response = client.post("/auth/login/code", data={"code": pyotp.TOTP(secret).now(), "next": "/startups/"})
    assert response.status_code == 302 and response.location == "/startups/"
    assert is_signed_in(client)


def test_a_wrong_code_is_refused_and_does_not_sign_in(app, manager_client):
    secret, _codes = set_up_two_factor(manager_client)
    client = app.test_client()
    log_in(client, "manager@example.com")
    wrong = wrong_code(secret)

    for code in (wrong, "000000x", "", "abcdef-012345"):
        response = client.post("/auth/login/code", data={"code": code})
        assert response.status_code == 200
        assert not is_signed_in(client)
    response = client.post("/auth/login/code", data={"code": wrong})
    assert WRONG_CODE in field_errors(response, "code")


def test_a_code_without_the_password_first_gets_the_sign_in_page(app, manager_client):
    secret, _codes = set_up_two_factor(manager_client)
    client = app.test_client()
    response = client.post("/auth/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response.location == "/auth/login"
    assert not is_signed_in(client)


def test_a_recovery_code_signs_in_once(app, db, manager_client):
    _secret, codes = set_up_two_factor(manager_client)
    first = app.test_client()
    log_in(first, "manager@example.com")

    response = first.post("/auth/login/code", data={"code": f"  {codes[3].upper()} "})  # as typed from paper

    assert response.status_code == 302
    assert is_signed_in(first)
    assert "9 unused recovery codes left." in page_text(first.get("/auth/two-factor"))

    second = app.test_client()
    log_in(second, "manager@example.com")
    response = second.post("/auth/login/code", data={"code": codes[3]})
    assert WRONG_CODE in field_errors(response, "code")
    assert not is_signed_in(second)
    assert second.post("/auth/login/code", data={"code": codes[4]}).status_code == 302
    assert is_signed_in(second)


def test_a_wrong_password_never_reaches_the_code_step(app, manager_client):
    set_up_two_factor(manager_client)
    client = app.test_client()
    response = log_in(client, "manager@example.com", "not the password!")
    assert response.status_code == 200
    assert "Wrong email or password, or the account is deactivated." in page_text(response)


# --- turning it off -----------------------------------------------------------------------------------

def test_turning_it_off_asks_for_the_password(app, db, manager_client, manager_user):
    set_up_two_factor(manager_client)

    response = manager_client.post("/auth/two-factor/disable", data={"password": "not the password!"},
                                   follow_redirects=True)
    assert "This is not your password: two-factor sign-in stays on." in page_text(response)
    db.session.expire_all()
    assert db.session.get(User, manager_user.id).has_two_factor

    response = manager_client.post("/auth/two-factor/disable", data={"password": PASSWORD}, follow_redirects=True)
    assert "Two-factor sign-in is off." in page_text(response)
    db.session.expire_all()
    user = db.session.get(User, manager_user.id)
    assert not user.has_two_factor and user.totp_secret is None
    assert db.session.scalar(select(func.count(RecoveryCode.id)).where(RecoveryCode.user_id == user.id)) == 0
    client = app.test_client()
    assert log_in(client, "manager@example.com").location == "/"  # no code asked any more
    assert is_signed_in(client)


# --- the admin's requirement --------------------------------------------------------------------------

def require_two_factor(admin_client, required=True):
    response = admin_client.post("/users/security", data={"required": "y"} if required else {},
                                 follow_redirects=True)
    assert response.status_code == 200
    return response


@pytest.fixture()
def admin_with_two_factor(admin_client):
    set_up_two_factor(admin_client)
    return admin_client


def test_the_admin_requires_two_factor_and_a_manager_without_it_is_sent_to_the_setup_from_every_page(
        app, admin_with_two_factor, manager_user):
    manager = sign_in(app.test_client(), manager_user)
    response = require_two_factor(admin_with_two_factor)
    assert "Two-factor sign-in is now required for administrators and managers." in page_text(response)

    for url in ("/", "/investors/", "/startups/new", "/meetings/", "/trash/", "/auth/password", "/contacts/"):
        response = manager.get(url)
        assert response.status_code == 302, url
        assert response.location == "/auth/two-factor", url
    assert manager.post("/investors/new", data={"name": "Sneaky Capital"}).location == "/auth/two-factor"
    page = page_text(manager.get("/auth/two-factor"))
    assert "An administrator requires two-factor sign-in for your role." in page

    set_up_two_factor(manager)

    assert manager.get("/investors/").status_code == 200
    assert manager.get("/startups/new").status_code == 200


def test_a_viewer_is_not_sent_to_the_setup_when_two_factor_is_required(app, admin_with_two_factor, viewer_client):
    require_two_factor(admin_with_two_factor)
    for url in ("/", "/investors/", "/auth/password"):
        assert viewer_client.get(url).status_code == 200, url
    assert "requires two-factor" not in page_text(viewer_client.get("/auth/two-factor"))


def test_a_manager_who_must_set_it_up_can_still_sign_out(app, admin_with_two_factor, manager_user):
    manager = sign_in(app.test_client(), manager_user)
    require_two_factor(admin_with_two_factor)
    response = manager.post("/auth/logout")
    assert response.status_code == 302 and response.location == "/auth/login"
    assert not is_signed_in(manager)


def test_two_factor_cannot_be_turned_off_while_it_is_required(app, db, admin_with_two_factor, manager_user):
    manager = sign_in(app.test_client(), manager_user)
    set_up_two_factor(manager)
    require_two_factor(admin_with_two_factor)

    for client in (manager, admin_with_two_factor):
        response = client.post("/auth/two-factor/disable", data={"password": PASSWORD}, follow_redirects=True)
        assert "Two-factor sign-in is required for your role and cannot be turned off." in page_text(response)
    db.session.expire_all()
    assert db.session.get(User, manager_user.id).has_two_factor

    require_two_factor(admin_with_two_factor, required=False)
    response = manager.post("/auth/two-factor/disable", data={"password": PASSWORD}, follow_redirects=True)
    assert "Two-factor sign-in is off." in page_text(response)


def test_the_requirement_applies_to_the_admin_too(app, admin_client):
    require_two_factor(admin_client)
    assert admin_client.get("/users/").location == "/auth/two-factor"
    set_up_two_factor(admin_client)
    assert admin_client.get("/users/").status_code == 200
    assert admin_client.get("/users/security").status_code == 200


def test_only_an_admin_sets_the_requirement(manager_client, viewer_client):
    for client in (manager_client, viewer_client):
        assert client.get("/users/security").status_code == 403
        assert client.post("/users/security", data={"required": "y"}).status_code == 403


# --- a code is used once ------------------------------------------------------------------------------

def test_a_code_that_signed_in_once_is_refused_the_second_time_within_its_30_seconds(app, db, manager_client,
                                                                                    manager_user):
    secret, _codes = set_up_two_factor(manager_client)
    code = pyotp.TOTP(secret).now()
    first = app.test_client()
    log_in(first, "manager@example.com")
    assert first.post("/auth/login/code", data={"code": code}).status_code == 302
    assert is_signed_in(first)

    replay = app.test_client()  # somebody who saw the code over a shoulder, and knows the password
    log_in(replay, "manager@example.com")
    response = replay.post("/auth/login/code", data={"code": code})

    assert WRONG_CODE in field_errors(response, "code")
    assert not is_signed_in(replay)
    assert is_signed_in(first)


def test_a_code_older_than_the_last_one_used_is_refused_though_still_in_the_drift_window(app, manager_client):
    secret, _codes = set_up_two_factor(manager_client)
    totp = pyotp.TOTP(secret)
    step = totp.timecode(time.time())
    first = app.test_client()
    log_in(first, "manager@example.com")
    assert first.post("/auth/login/code", data={"code": totp.generate_otp(step)}).status_code == 302

    earlier = app.test_client()
    log_in(earlier, "manager@example.com")
    response = earlier.post("/auth/login/code", data={"code": totp.generate_otp(step - 1)})
    assert WRONG_CODE in field_errors(response, "code")
    assert not is_signed_in(earlier)
    # the next step's code (the phone's clock a little ahead) is newer, so it still signs in
    assert earlier.post("/auth/login/code", data={"code": totp.generate_otp(step + 1)}).status_code == 302
    assert is_signed_in(earlier)
