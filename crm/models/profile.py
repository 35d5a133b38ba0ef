"""A startup's public profile: which fields an outside reader sees, and its confidential material."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.extensions import db
from crm.models.base import LabelledEnum, TimestampMixin, VersionedMixin, enum_column


class ProfileField(LabelledEnum):
    """The fields a profile page can show, in the order the page shows them."""

    NAME = "name"
    LOGO = "logo"
    TAGLINE = "tagline"
    PITCH = "pitch"
    THERAPEUTIC_AREA = "therapeutic_area"
    INDICATION = "indication"
    MODALITY = "modality"
    DEVELOPMENT_STAGE = "development_stage"
    ROUND = "round"
    TEAM = "team"
    WEBSITE = "website"
    CONTACT = "contact"

    @classmethod
    def labels(cls):
        return {
            cls.NAME: _l("Name"),
            cls.LOGO: _l("Logo (initials)"),
            cls.TAGLINE: _l("One-line pitch"),
            cls.PITCH: _l("Pitch"),
            cls.THERAPEUTIC_AREA: _l("Therapeutic area"),
            cls.INDICATION: _l("Indication"),
            cls.MODALITY: _l("Modality"),
            cls.DEVELOPMENT_STAGE: _l("Development stage"),
            cls.ROUND: _l("Current round and target amount"),
            cls.TEAM: _l("Team"),
            cls.WEBSITE: _l("Website"),
            cls.CONTACT: _l("Contact person (name and email)"),
        }


class Visibility(LabelledEnum):
    """Who may read a field: every holder of a link, or only one under a confidentiality agreement."""

    PUBLIC = "public"
    CONFIDENTIAL = "confidential"

    @classmethod
    def labels(cls):
        return {cls.PUBLIC: _l("Shown"), cls.CONFIDENTIAL: _l("Confidential: only under an agreement")}


class StartupProfile(TimestampMixin, VersionedMixin, db.Model):
    """The profile settings of one startup; without them its profile shows nothing."""

    __tablename__ = "startup_profiles"

    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startups.id", ondelete="CASCADE"), primary_key=True)
    tagline: Mapped[str | None] = mapped_column(sa.String(200))
    contact_id: Mapped[int | None] = mapped_column(sa.ForeignKey("contacts.id", ondelete="SET NULL"), index=True)

    startup: Mapped["Startup"] = relationship()  # noqa: F821
    contact: Mapped["Contact | None"] = relationship()  # noqa: F821
    fields: Mapped[list["ProfileFieldSetting"]] = relationship(
        back_populates="profile", cascade="all, delete-orphan", lazy="selectin")

    def visibility(self, field: ProfileField) -> Visibility | None:
        """How ``field`` is shown; None when it is not shown at all."""
        return next((f.visibility for f in self.fields if f.field == field), None)

    def chosen(self, visibility: Visibility) -> list[ProfileField]:
        """The fields shown with ``visibility``, in the order the page shows them."""
        wanted = {f.field for f in self.fields if f.visibility == visibility}
        return [field for field in ProfileField if field in wanted]

    def set_visibility(self, chosen: dict[ProfileField, Visibility | None]) -> None:
        existing = {f.field: f for f in self.fields}
        kept = []
        for field, visibility in chosen.items():
            if visibility is None:
                continue
            setting = existing.get(field) or ProfileFieldSetting(field=field)
            setting.visibility = visibility
            kept.append(setting)
        self.fields = kept


class ProfileFieldSetting(db.Model):
    """One field a profile shows, and to whom."""

    __tablename__ = "startup_profile_fields"

    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startup_profiles.startup_id", ondelete="CASCADE"),
                                            primary_key=True)
    field: Mapped[ProfileField] = enum_column(ProfileField, primary_key=True)
    visibility: Mapped[Visibility] = enum_column(Visibility, nullable=False)

    profile: Mapped[StartupProfile] = relationship(back_populates="fields")


class ConfidentialItemKind(LabelledEnum):
    DECK = "deck"
    DATA = "data"
    PATENTS = "patents"
    CAP_TABLE = "cap_table"
    DOCUMENT = "document"

    @classmethod
    def labels(cls):
        return {
            cls.DECK: _l("Pitch deck"),
            cls.DATA: _l("Data read-out"),
            cls.PATENTS: _l("Patent status"),
            cls.CAP_TABLE: _l("Cap table summary"),
            cls.DOCUMENT: _l("Document"),
        }


class ConfidentialItem(TimestampMixin, db.Model):
    """Material shown on a share link only while its investor has a valid confidentiality agreement."""

    __tablename__ = "confidential_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    startup_id: Mapped[int] = mapped_column(sa.ForeignKey("startups.id", ondelete="CASCADE"), nullable=False,
                                            index=True)
    kind: Mapped[ConfidentialItemKind] = enum_column(ConfidentialItemKind, nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    url: Mapped[str | None] = mapped_column(sa.String(500))
    text: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    startup: Mapped["Startup"] = relationship()  # noqa: F821
    created_by: Mapped["User | None"] = relationship()  # noqa: F821

    __table_args__ = (sa.CheckConstraint("url IS NOT NULL OR text IS NOT NULL", name="has_content"),)
