"""Two-factor sign-in with a TOTP authenticator app, recovery codes, and the admin's requirement."""
import hashlib
import hmac
import secrets
import time
from datetime import datetime

import pyotp
import segno
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from crm.common.timeutil import utcnow
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import AppSetting, RecoveryCode, Role, User

ISSUER = "Cluster CRM"
REQUIRE_SETTING = "require_two_factor"
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def is_valid_secret(secret: str | None) -> bool:
    """A secret of the shape new_secret() makes (it travels through the setup form)."""
    return bool(secret) and len(secret) == 32 and all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in secret)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of the setup link as inline SVG, drawn locally (nothing fetched)."""
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def _code_matches(secret: str, code: str) -> bool:
    return _matching_step(secret, code) is not None


def _matching_step(secret: str, code: str) -> int | None:
    """The 30-second time step whose code this is (the current one, or one either side for clock drift)."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time())
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enable_two_factor(user: User, secret: str, code: str, now: datetime | None = None) -> list[str]:
    """Turn two-factor sign-in on once the app shows a matching code; return the recovery codes (shown once)."""
    if not _code_matches(secret, code or ""):
        raise ValidationError("code", _l("That code does not match. Check the time on your phone and try again."))
    user.totp_secret = secret
    user.totp_enabled_at = now or utcnow()
    user.totp_last_step = None
    return _new_recovery_codes(user)


def _new_recovery_codes(user: User) -> list[str]:
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(old)
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(code)))
    db.session.flush()
    return codes


def disable_two_factor(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    for old in db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        db.session.delete(old)
    db.session.flush()


def verify_second_factor(user: User, code: str, now: datetime | None = None) -> bool:
    """True for a current TOTP code not used before or an unused recovery code (which is then used up).

    A TOTP code stays valid for its 30 seconds (and one step either side), so the step of the
    last code that signed in is kept: a code of that step or an older one, seen over a shoulder
    or replayed, is refused.
    """
    code = (code or "").strip().lower()
    step = _matching_step(user.totp_secret, code) if user.totp_secret else None
    if step is not None:
        # One conditional UPDATE, so that two sign-ins racing with the same code cannot both pass.
        claimed = db.session.execute(
            update(User).where(User.id == user.id,
                               or_(User.totp_last_step.is_(None), User.totp_last_step < step))
            .values(totp_last_step=step))
        return claimed.rowcount == 1
    row = db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                       RecoveryCode.code_hash == _digest(code),
                                                       RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = now or utcnow()
    db.session.flush()
    return True


def _digest(code: str) -> str:
    """Recovery codes carry 48 random bits, so a plain SHA-256 is enough to keep them unreadable."""
    return hashlib.sha256(code.strip().lower().encode()).hexdigest()


def unused_recovery_codes(user: User) -> int:
    rows = db.session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                            RecoveryCode.used_at.is_(None)))
    return len(list(rows))


def two_factor_required() -> bool:
    row = db.session.get(AppSetting, REQUIRE_SETTING)
    return row is not None and row.value == "1"


def set_two_factor_required(required: bool) -> None:
    row = db.session.get(AppSetting, REQUIRE_SETTING) or AppSetting(key=REQUIRE_SETTING)
    row.value = "1" if required else "0"
    db.session.add(row)
    db.session.flush()


def must_set_up_two_factor(user: User, required: bool | None = None) -> bool:
    """Admins and managers must turn it on when the administrator requires it (``required``: already looked up)."""
    return user.has_role(Role.MANAGER) and not user.has_two_factor and (
        two_factor_required() if required is None else required)
