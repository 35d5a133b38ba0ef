"""Personal API tokens: made and revoked by their owner, stored as a SHA-256, acting with the owner's role."""
import hmac
import secrets
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.common import timeutil
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import ApiToken, User, token_digest

TOKEN_PREFIX = "crm_"  # nosec B105 # the public prefix that marks a token in logs, not a secret
# Writing the time of use on every request would make every read a write; a minute is precise enough.
TOUCH_EVERY = timedelta(minutes=1)


def create_token(user: User, name: str, acting_user: User) -> tuple[ApiToken, str]:
    """A new token for ``user``; the plain token is returned once and never stored."""
    if acting_user.id != user.id:
        raise ValidationError(None, _l("Tokens are made by their owner."))
    if not name or len(name) > 100:
        raise ValidationError("name", _l("Give the token a name of up to 100 characters."))
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, prefix=plain[:len(TOKEN_PREFIX) + 6], token_hash=token_digest(plain),
                     created_at=timeutil.utcnow())
    db.session.add(token)
    db.session.flush()
    return token, plain


def revoke_token(token: ApiToken, acting_user: User) -> None:
    """Stop a token from working, at once; it stays listed as revoked."""
    if token.user_id != acting_user.id:
        raise ValidationError(None, _l("Only the token's owner can revoke it."))
    if token.revoked_at is None:
        token.revoked_at = timeutil.utcnow()
        db.session.flush()


def user_for_token(plain: str, now: datetime | None = None) -> User | None:
    """The active user whose live token this is, or None."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 200:
        return None
    digest = token_digest(plain)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at is not None:
        return None
    if not token.user.active:
        return None
    now = now or timeutil.utcnow()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        token.last_used_at = now
    return token.user


def tokens_of(user: User) -> list[ApiToken]:
    """A user's tokens, newest first, revoked ones included."""
    stmt = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    return list(db.session.scalars(stmt))
