"""Staff accounts and their roles."""
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from crm.extensions import db
from crm.models.base import LabelledEnum, NamedMixin, TimestampMixin, UTCDateTime, enum_column


class Role(LabelledEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    VIEWER = "viewer"

    @classmethod
    def labels(cls):
        return {cls.ADMIN: _l("Administrator"), cls.MANAGER: _l("Manager"), cls.VIEWER: _l("Viewer")}

    @property
    def rank(self) -> int:
        return {Role.VIEWER: 1, Role.MANAGER: 2, Role.ADMIN: 3}[self]


class User(UserMixin, NamedMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True, nullable=False)
    password_hash: Mapped[str] = mapped_column(sa.String(255), nullable=False)
    role: Mapped[Role] = enum_column(Role, nullable=False, default=Role.VIEWER)
    active: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The 30-second step of the last code that signed in: a code of that step or an older one is refused.
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    # The interface language the user chose ("en", "nb"); None follows the browser's Accept-Language.
    locale: Mapped[str | None] = mapped_column(sa.String(8))

    __audited__ = True
    __audit_exclude__ = frozenset({"last_login_at", "totp_last_step", "locale"})
    __audit_redact__ = frozenset({"password_hash", "totp_secret"})

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def set_password(self, password: str) -> None:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def has_role(self, needed: Role) -> bool:
        """True when this user's role is at least ``needed`` (admin > manager > viewer)."""
        return self.role.rank >= needed.rank

    @property
    def can_edit(self) -> bool:
        return self.has_role(Role.MANAGER)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.email}>"
