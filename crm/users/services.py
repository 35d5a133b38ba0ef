"""Writes to user accounts; used by the admin pages, the account page and the CLI."""
from dataclasses import dataclass
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from crm.auth.sessions import end_all_sessions
from crm.common.timeutil import utcnow
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import Role, User

MIN_PASSWORD_LENGTH = 12


@dataclass
class UserData:
    email: str
    name: str
    role: Role


@cache
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords, from the list that ships with zxcvbn."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS
    return frozenset(FREQUENCY_LISTS["passwords"])


_FILLERS = "0123456789!?.,-_#@$%&*+ "


def is_common_password(password: str) -> bool:
    """A common password, or one with only digits and symbols added to one ("password2024!", "123456789012")."""
    folded = password.casefold()
    common = _common_passwords()
    if folded in common or folded.replace(" ", "") in common or len(set(folded)) <= 2:
        return True
    # Every way of reading the end as added digits and symbols: "123456789012" is "123456789" + "012",
    # which stripping all trailing digits would miss.
    heads = [folded]
    end = len(folded)
    while end > 0 and folded[end - 1] in _FILLERS:
        end -= 1
        heads.append(folded[:end])
    for head in heads:
        for core in (head, head.lstrip(_FILLERS)):
            # A digits-only core must be longer, so that a random number starting with "2024" is not refused.
            shortest = 6 if all(ch in _FILLERS for ch in core) else 4
            if len(core) >= shortest and core in common:
                return True
    return False


def check_password_rules(password: str, email: str | None, field: str = "password") -> None:
    """Raise ValidationError when the password is short, is the email address, or is a common one."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(field, _l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH))
    if email and password.strip().casefold() in (email.strip().casefold(), email.split("@")[0].casefold()):
        raise ValidationError(field, _l("The password cannot be the email address."))
    if is_common_password(password):
        raise ValidationError(field, _l("This password is among the most common ones. Choose another."))


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(data: UserData, password: str) -> User:
    """Create an account; raises ValidationError for a taken email or a weak password."""
    if find_user_by_email(data.email) is not None:
        raise ValidationError("email", _l("An account with this email already exists."))
    check_password_rules(password, data.email)
    user = User(email=data.email.strip().lower(), name=data.name, role=data.role, active=True)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, data: UserData, acting_user: User) -> User:
    """Change an account's name, email and role; an admin cannot demote themself."""
    other = find_user_by_email(data.email)
    if other is not None and other.id != user.id:
        raise ValidationError("email", _l("An account with this email already exists."))
    if user.id == acting_user.id and data.role is not Role.ADMIN:
        raise ValidationError("role", _l("You cannot remove your own administrator role."))
    user.email = data.email.strip().lower()
    user.name = data.name
    user.role = data.role
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password after checking the rules."""
    check_password_rules(password, user.email)
    user.set_password(password)
    end_all_sessions(user)
    db.session.flush()


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    """A user changes their own password; the current one must be right."""
    if not user.check_password(current_password):
        raise ValidationError("current_password", _l("This is not your current password."))
    check_password_rules(new_password, user.email, field="new_password")
    user.set_password(new_password)
    end_all_sessions(user)  # the view starts a new one for this browser
    db.session.flush()


def set_active(user: User, active: bool, acting_user: User) -> None:
    """Deactivate or reactivate an account; nobody deactivates themself."""
    if not active and user.id == acting_user.id:
        raise ValidationError(None, _l("You cannot deactivate your own account."))
    user.active = active
    if not active:
        end_all_sessions(user)
    db.session.flush()


def set_language(user: User, language: str | None) -> None:
    """Save the interface language the user chose; None follows the browser again."""
    user.locale = language
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same answer for every failure)."""
    user = find_user_by_email(email or "")
    if user is None:
        # Spend the time a hash check takes, so that timing does not reveal which emails exist.
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not user.check_password(password or "") or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.flush()
    return user



@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a real password", method="scrypt")
