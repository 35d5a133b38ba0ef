"""Server-side records of sign-ins, so that signing out, a new password or deactivation ends a session."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.common.timeutil import utcnow
from crm.extensions import db
from crm.models.base import UTCDateTime


class UserSession(db.Model):
    """One signed-in browser. The signed session cookie carries only this id; a cookie whose
    session has ended (or idled out) no longer signs anybody in."""

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    authenticated_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    user: Mapped["User"] = relationship()  # noqa: F821


class RecoveryCode(db.Model):
    """A one-time code for signing in without the authenticator app; only its hash is kept."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AppSetting(db.Model):
    """A setting an administrator changes in the app (for example: two-factor sign-in required)."""

    __tablename__ = "app_settings"

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    value: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
