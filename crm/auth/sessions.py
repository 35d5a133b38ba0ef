"""Server-side sign-in sessions: started at sign-in, ended at sign-out, idle time-out,
new password or deactivation. The signed cookie only names the session."""
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models import User, UserSession

# Writing last_seen_at on every request would make every page a write; a minute is precise enough.
TOUCH_EVERY = timedelta(seconds=60)


def start_session(user: User, user_agent: str = "", now: datetime | None = None) -> UserSession:
    """A new session for a user who has just proved who they are."""
    now = now or utcnow()
    row = UserSession(id=secrets.token_urlsafe(32), user_id=user.id, created_at=now, last_seen_at=now,
                      authenticated_at=now, user_agent=(user_agent or "")[:200])
    db.session.add(row)
    db.session.flush()
    return row


def live_session(session_id: str | None, user_id: int, idle: timedelta,
                 now: datetime | None = None) -> UserSession | None:
    """The session if it is this user's, not ended and not idle for longer than ``idle``; else None.

    An idle session is ended here, so that its cookie stays dead.
    """
    if not isinstance(session_id, str) or not session_id or len(session_id) > 64:
        return None
    now = now or utcnow()
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return None
    if now - row.last_seen_at > idle:
        row.ended_at = now
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    return row


def end_session(session_id: str | None, now: datetime | None = None) -> None:
    if session_id:
        db.session.execute(update(UserSession).where(UserSession.id == session_id, UserSession.ended_at.is_(None))
                           .values(ended_at=now or utcnow()))


def end_all_sessions(user: User, now: datetime | None = None) -> None:
    """End every session of a user: after a new password, deactivation or a role change."""
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                       .values(ended_at=now or utcnow()))


def confirm_identity(row: UserSession, now: datetime | None = None) -> None:
    """The user typed their password again: sensitive actions are open for a few minutes."""
    row.authenticated_at = now or utcnow()
    db.session.flush()


def open_sessions(user: User) -> list[UserSession]:
    stmt = select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    return list(db.session.scalars(stmt.order_by(UserSession.last_seen_at.desc())))
