"""The admin's user pages: list, add, edit roles, reset passwords, deactivate; and who may not."""
import re

import pytest
from flask import g
from sqlalchemy import func, select

from crm.extensions import db as _db
from crm.models import Role, User
from tests import factories
from tests.conftest import PASSWORD, BrowserClient

LOGIN_FAILED = "Wrong email or password, or the account is deactivated."
NEW_PASSWORD = "a much longer passphrase"


class Browser(BrowserClient):
    """One person's browser; several may be open in one test.

    The ``db`` fixture keeps one app context open for the whole test and Flask reuses it
    for every request, so Flask-Login's cached user (``g._login_user``) would carry one
    browser's sign-in over to the next request of another browser. A real server starts
    every request with an empty ``g``; so does this client.
    """

    def open(self, *args, **kwargs):
        for name in list(g):
            g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture()
def browser(app, db):
    """Open a new browser, signed in as ``email`` when one is given."""

    def open_browser(email=None, password=PASSWORD):
        client = Browser(app, app.response_class, use_cookies=True)
        if email:
            response = log_in(client, email, password)
            assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return open_browser


@pytest.fixture()
def admin(browser, admin_user):
    return browser("admin@example.com")


def log_in(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def can_sign_in(browser, email, password) -> bool:
    """Try the login form in a fresh browser, as the person would."""
    response = log_in(browser(), email, password)
    if response.status_code == 302:
        assert response.location == "/"
        return True
    assert LOGIN_FAILED in response.get_data(as_text=True)
    return False


def field_errors(page: str, field_id: str) -> str:
    match = re.search(rf'<div id="{field_id}-errors"[^>]*>(.*?)</div>', page, re.S)
    return match.group(1).strip() if match else ""


def selected_option(page: str, name: str) -> str:
    """The value a browser would send for a select: the selected option, else the first."""
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r'<option([^>]*)>', select_html)
    chosen = next((o for o in options if re.search(r'\bselected\b', o)), options[0])
    return re.search(r'value="([^"]*)"', chosen).group(1)


def user_by_email(email: str) -> User | None:
    _db.session.expire_all()
    return _db.session.scalar(select(User).where(User.email == email))


def user_count() -> int:
    return _db.session.scalar(select(func.count(User.id)))


# --- the list -----------------------------------------------------------------------------

def test_admin_sees_every_account_with_role_and_status(admin_client, manager_user, viewer_user, db):
    viewer_user.active = False
    db.session.commit()
    response = admin_client.get("/users/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for name, email in [("Admin User", "admin@example.com"), ("Manager User", "manager@example.com"),
                        ("Viewer User", "viewer@example.com")]:
        assert name in page and email in page
    for label in ("Administrator", "Manager", "Viewer", "Active", "Deactivated"):
        assert label in page
    assert page.index("manager@example.com") < page.index("viewer@example.com")  # active ones first


def test_the_admin_sees_the_users_link_in_the_navigation(admin_client):
    assert 'href="/users/"' in admin_client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_managers_and_viewers_see_no_users_link(request, role):
    client = request.getfixturevalue(f"{role}_client")
    assert 'href="/users/"' not in client.get("/").get_data(as_text=True)


# --- adding an account --------------------------------------------------------------------

@pytest.mark.parametrize("role,label", [("admin", "Administrator"), ("manager", "Manager"), ("viewer", "Viewer")])
def test_admin_adds_a_user_who_can_then_sign_in_with_that_role(browser, admin, role, label):
    response = admin.post("/users/new", data={"name": "Kari Nordmann", "email": "Kari.Nordmann@Example.com",
                                              "role": role, "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.location == "/users/"
    page = admin.get("/users/").get_data(as_text=True)
    assert "Account for kari.nordmann@example.com created." in page
    assert "Kari Nordmann" in page

    assert user_by_email("kari.nordmann@example.com").role is Role(role)
    kari = browser("kari.nordmann@example.com", NEW_PASSWORD)
    page = kari.get("/").get_data(as_text=True)
    assert "Kari Nordmann" in page
    assert label in page  # the role badge in the navigation
    assert kari.get("/users/").status_code == (200 if role == "admin" else 403)


def test_the_add_user_form_offers_the_three_roles(admin_client):
    page = admin_client.get("/users/new").get_data(as_text=True)
    for value in ("admin", "manager", "viewer"):
        assert f'value="{value}"' in page


@pytest.mark.parametrize("email", ["manager@example.com", "MANAGER@example.com", " manager@example.com "])
def test_a_second_account_with_the_same_email_is_refused(admin_client, manager_user, email):
    before = user_count()
    response = admin_client.post("/users/new", data={"name": "Twin", "email": email, "role": "viewer",
                                                     "password": NEW_PASSWORD})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "An account with this email already exists." in field_errors(page, "email")
    assert 'value="Twin"' in page  # what was typed stays
    assert user_count() == before


@pytest.mark.parametrize("email,password,message", [
    ("ola@example.com", "short", "Use at least 12 characters."),
    ("ola@example.com", "elevenchars", "Use at least 12 characters."),
    ("ola.nordmann@example.com", "ola.nordmann@example.com", "The password cannot be the email address."),
    ("ola.nordmann@example.com", "OLA.NORDMANN@EXAMPLE.COM", "The password cannot be the email address."),
])
def test_a_weak_password_for_a_new_user_is_refused(browser, admin, email, password, message):
    before = user_count()
    response = admin.post("/users/new", data={"name": "Ola", "email": email, "role": "viewer",
                                              "password": password})
    assert response.status_code == 200
    assert message in field_errors(response.get_data(as_text=True), "password")
    assert user_count() == before
    assert not can_sign_in(browser, email, password)


@pytest.mark.parametrize("data,field", [
    ({"name": "", "email": "ola@example.com", "role": "viewer", "password": NEW_PASSWORD}, "name"),
    ({"name": "Ola", "email": "not an email", "role": "viewer", "password": NEW_PASSWORD}, "email"),
    ({"name": "Ola", "email": "ola@example.com", "role": "superuser", "password": NEW_PASSWORD}, "role"),
    ({"name": "Ola", "email": "ola@example.com", "role": "viewer", "password": ""}, "password"),
])
def test_a_bad_new_user_form_shows_a_message_next_to_the_field(admin_client, data, field):
    before = user_count()
    response = admin_client.post("/users/new", data=data)
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), field)
    assert user_count() == before


# --- editing an account ---------------------------------------------------------------------

def test_admin_changes_a_managers_role_to_viewer(browser, admin, manager_user):
    assert selected_option(admin.get(f"/users/{manager_user.id}/edit").get_data(as_text=True), "role") == "manager"
    response = admin.post(f"/users/{manager_user.id}/edit", data={
        "name": "Manager User", "email": "manager@example.com", "role": "viewer"})
    assert response.status_code == 302
    assert "Account manager@example.com saved." in admin.get("/users/").get_data(as_text=True)
    assert user_by_email("manager@example.com").role is Role.VIEWER

    former_manager = browser("manager@example.com")
    assert former_manager.get("/investors/new").status_code == 403


@pytest.mark.parametrize("role", ["manager", "viewer", "admin"])
def test_saving_the_edit_form_with_only_a_new_name_keeps_the_role(admin_client, db, role):
    """The form shows the user's current role, so saving it as shown does not change it."""
    other = factories.make_user(role=role, email="ola@example.com", name="Ola")
    db.session.commit()
    page = admin_client.get(f"/users/{other.id}/edit").get_data(as_text=True)
    assert selected_option(page, "role") == role
    response = admin_client.post(f"/users/{other.id}/edit", data={
        "name": "Ola Nordmann", "email": "ola@example.com", "role": selected_option(page, "role")})
    assert response.status_code == 302
    user = user_by_email("ola@example.com")
    assert user.name == "Ola Nordmann"
    assert user.role is Role(role)


def test_admin_renames_a_user_and_changes_the_email(admin_client, manager_user):
    response = admin_client.post(f"/users/{manager_user.id}/edit", data={
        "name": "Marte Sæther", "email": "marte@example.com", "role": "manager"})
    assert response.status_code == 302
    page = admin_client.get("/users/").get_data(as_text=True)
    assert "Marte Sæther" in page and "marte@example.com" in page


def test_an_email_taken_by_another_account_is_refused_on_edit(admin_client, manager_user, viewer_user):
    response = admin_client.post(f"/users/{manager_user.id}/edit", data={
        "name": "Manager User", "email": "Viewer@example.com", "role": "manager"})
    assert response.status_code == 200
    assert "An account with this email already exists." in field_errors(response.get_data(as_text=True), "email")
    assert user_by_email("manager@example.com") is not None


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_an_admin_cannot_remove_their_own_admin_role(admin_client, admin_user, role):
    response = admin_client.post(f"/users/{admin_user.id}/edit", data={
        "name": "Admin User", "email": "admin@example.com", "role": role})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "You cannot remove your own administrator role." in field_errors(page, "role")
    assert user_by_email("admin@example.com").role is Role.ADMIN
    assert admin_client.get("/users/").status_code == 200


def test_editing_a_user_who_does_not_exist_is_404(admin_client):
    response = admin_client.get("/users/99999/edit")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


# --- resetting a password -------------------------------------------------------------------

def test_admin_resets_another_users_password_and_only_the_new_one_works(browser, admin, manager_user):
    page = admin.get(f"/users/{manager_user.id}/password").get_data(as_text=True)
    assert "Set a new password for manager@example.com" in page
    response = admin.post(f"/users/{manager_user.id}/password", data={"password": NEW_PASSWORD,
                                                                      "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert "New password set for manager@example.com." in admin.get("/users/").get_data(as_text=True)
    assert can_sign_in(browser, "manager@example.com", NEW_PASSWORD)
    assert not can_sign_in(browser, "manager@example.com", PASSWORD)


@pytest.mark.parametrize("password,confirm,field,message", [
    ("short", "short", "password", "Use at least 12 characters."),
    ("manager@example.com", "manager@example.com", "password", "The password cannot be the email address."),
    (NEW_PASSWORD, NEW_PASSWORD + "!", "confirm", "The passwords differ."),
])
def test_a_refused_password_reset_shows_why_and_keeps_the_old_password(browser, admin, manager_user, password,
                                                                      confirm, field, message):
    response = admin.post(f"/users/{manager_user.id}/password", data={"password": password, "confirm": confirm})
    assert response.status_code == 200
    assert message in field_errors(response.get_data(as_text=True), field)
    assert can_sign_in(browser, "manager@example.com", PASSWORD)


# --- deactivating ---------------------------------------------------------------------------

def test_admin_deactivates_a_user_who_then_cannot_sign_in_and_reactivates_them(browser, admin, manager_user):
    response = admin.post(f"/users/{manager_user.id}/active")
    assert response.status_code == 302
    page = admin.get("/users/").get_data(as_text=True)
    assert "manager@example.com is deactivated and can no longer sign in." in page
    assert "Reactivate" in page
    assert not can_sign_in(browser, "manager@example.com", PASSWORD)

    response = admin.post(f"/users/{manager_user.id}/active")
    assert response.status_code == 302
    assert "manager@example.com is active again." in admin.get("/users/").get_data(as_text=True)
    assert can_sign_in(browser, "manager@example.com", PASSWORD)


def test_deactivating_by_a_link_is_refused_with_405(admin_client, manager_user):
    response = admin_client.get(f"/users/{manager_user.id}/active")
    assert response.status_code == 405
    assert user_by_email("manager@example.com").active


def test_deactivating_without_csrf_token_is_refused(admin_client, manager_user):
    response = admin_client.post(f"/users/{manager_user.id}/active", csrf=False)
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    assert user_by_email("manager@example.com").active


def test_an_admin_cannot_deactivate_themself(admin_client, admin_user):
    assert f"/users/{admin_user.id}/active" not in admin_client.get("/users/").get_data(as_text=True)
    response = admin_client.post(f"/users/{admin_user.id}/active", follow_redirects=True)
    assert response.status_code == 200
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    assert user_by_email("admin@example.com").active
    assert admin_client.get("/users/").status_code == 200


# --- who may not ----------------------------------------------------------------------------

USER_PAGES = [
    ("GET", "/users/"),
    ("GET", "/users/new"),
    ("POST", "/users/new"),
    ("GET", "/users/{id}/edit"),
    ("POST", "/users/{id}/edit"),
    ("GET", "/users/{id}/password"),
    ("POST", "/users/{id}/password"),
    ("POST", "/users/{id}/active"),
]


@pytest.mark.parametrize("role", ["manager", "viewer"])
@pytest.mark.parametrize("method,url", USER_PAGES)
def test_managers_and_viewers_get_403_on_the_user_pages(request, admin_user, role, method, url):
    client = request.getfixturevalue(f"{role}_client")
    url = url.format(id=admin_user.id)
    data = {"name": "Taken Over", "email": "evil@example.com", "role": "viewer",
            "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = client.get(url) if method == "GET" else client.post(url, data=data)
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)
    admin = user_by_email("admin@example.com")
    assert admin.role is Role.ADMIN and admin.active and admin.check_password(PASSWORD)
    assert user_by_email("evil@example.com") is None


@pytest.mark.parametrize("role", ["viewer", "manager"])
def test_a_role_posted_with_ones_own_password_change_changes_nothing(request, role):
    client = request.getfixturevalue(f"{role}_client")
    response = client.post("/auth/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD,
        "role": "admin", "active": "1", "email": "someone.else@example.com", "name": "Boss"})
    assert response.status_code == 302
    user = user_by_email(f"{role}@example.com")
    assert user.role is Role(role)
    assert user.name == f"{role.title()} User"
    assert client.get("/users/").status_code == 403
