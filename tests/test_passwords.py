"""Password rules (12 characters, not the email, not a common password) in every place a password is set:
the admin's new-user form, the admin's reset, one's own change, and the create-user command."""
import pytest
from sqlalchemy import select

from crm.extensions import db as _db
from crm.models import User
from crm.users.services import is_common_password
from tests.conftest import PASSWORD
from tests.test_startups import field_errors

SHORT = "Use at least 12 characters."
IS_EMAIL = "The password cannot be the email address."
COMMON = "This password is among the most common ones. Choose another."
GOOD = "lilla elg danser i fjæra"


def _user(email) -> User | None:
    _db.session.expire_all()
    return _db.session.scalar(select(User).where(User.email == email))


def new_user(request, password):
    """The admin adds ola.nordmann@example.com. Returns (saved, the message shown for the password)."""
    client = request.getfixturevalue("admin_client")
    response = client.post("/users/new", data={"name": "Ola Nordmann", "email": "ola.nordmann@example.com",
                                               "role": "viewer", "password": password})
    return response.status_code == 302, field_errors(response, "password"), "ola.nordmann@example.com"


def reset(request, password):
    """The admin sets a new password for manager@example.com."""
    client = request.getfixturevalue("admin_client")
    target = request.getfixturevalue("manager_user")
    response = client.post(f"/users/{target.id}/password", data={"password": password, "confirm": password})
    return response.status_code == 302, field_errors(response, "password"), "manager@example.com"


def own_change(request, password):
    """viewer@example.com changes their own password."""
    client = request.getfixturevalue("viewer_client")
    response = client.post("/auth/password", data={"current_password": PASSWORD, "new_password": password,
                                                   "confirm": password})
    return response.status_code == 302, field_errors(response, "new_password"), "viewer@example.com"


def command(request, password):
    """flask --app crm create-user ola.nordmann@example.com --password-stdin"""
    runner = request.getfixturevalue("runner")
    result = runner.invoke(args=["create-user", "ola.nordmann@example.com", "--password-stdin"],
                           input=password + "\n")
    assert "Traceback" not in result.output
    return result.exit_code == 0, result.output, "ola.nordmann@example.com"


PLACES = {"admin new user": new_user, "admin reset": reset, "own change": own_change, "create-user": command}
EMAILS = {new_user: "ola.nordmann@example.com", reset: "manager@example.com", own_change: "viewer@example.com",
          command: "ola.nordmann@example.com"}


@pytest.mark.parametrize("password,message", [
    ("password1234", COMMON),
    ("qwertyuiop123", COMMON),
    ("123456789012", COMMON),
    ("Password1234!", COMMON),
    ("iloveyou2024!!", COMMON),
    ("2024-sunshine-2024", COMMON),
    ("aaaaaaaaaaaaaaa", COMMON),
    ("short", SHORT),
    ("elevenchars", SHORT),
    ("{email}", IS_EMAIL),
    ("{EMAIL}", IS_EMAIL),
])
@pytest.mark.parametrize("place", list(PLACES))
def test_a_refused_password_is_explained_next_to_the_field_and_changes_nothing(request, db, place, password,
                                                                              message):
    set_password = PLACES[place]
    email = EMAILS[set_password]
    password = password.replace("{email}", email).replace("{EMAIL}", email.upper())

    saved, shown, email = set_password(request, password)

    assert not saved
    assert message in shown
    user = _user(email)
    if user is not None:  # an existing account keeps its password
        assert user.check_password(PASSWORD) and not user.check_password(password)


@pytest.mark.parametrize("place", list(PLACES))
def test_a_long_uncommon_password_is_accepted_everywhere(request, db, place):
    saved, shown, email = PLACES[place](request, GOOD)
    assert saved, shown
    assert _user(email).check_password(GOOD)


@pytest.mark.parametrize("password", [
    "password1234", "qwertyuiop123", "123456789012", "1234567890123", "PASSWORD2024", "2024password!",
    "monkey123456", "letmein12345", "football1234", "q w e r t y u i o p", "000000000000", "abababababab",
])
def test_common_passwords_and_common_ones_with_digits_added_are_recognised(password):
    assert is_common_password(password)


@pytest.mark.parametrize("password", [
    PASSWORD, GOOD, "a much longer passphrase", "Tr0ub4dor&3 on the fjord", "mørke skoger om høsten",
    "8271-5530-9918",  # random digits, not a known sequence
])
def test_uncommon_passwords_are_not_flagged(password):
    assert not is_common_password(password)
