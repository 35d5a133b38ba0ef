"""Column types and mixins shared by the models."""
import enum
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, declared_attr, mapped_column, validates, with_loader_criteria
from sqlalchemy.types import TypeDecorator

from crm.common.text import fold, sort_key
from crm.common.timeutil import utcnow
from crm.extensions import db


class UTCDateTime(TypeDecorator):
    """A timestamp stored as naive UTC on every database and returned timezone-aware."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware UTC time")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


class LabelledEnum(str, enum.Enum):
    """A string enum whose members carry a translatable label (see each model's LABELS)."""

    def __str__(self) -> str:
        # WTForms' SelectField coerces with str(); Python 3.11 gives "Role.MANAGER" for a
        # str-mixin enum, so an edit form would preselect no option (the first one is sent).
        return self.value

    @property
    def label(self) -> str:
        return str(type(self).labels().get(self, self.value))

    @classmethod
    def labels(cls) -> dict:
        return {}

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]


def enum_column(enum_cls: type[enum.Enum], **kwargs):
    """A VARCHAR column holding an enum's values (no database enum type to migrate)."""
    return mapped_column(
        sa.Enum(enum_cls, native_enum=False, length=32, validate_strings=True,
                values_callable=lambda members: [m.value for m in members]),
        **kwargs,
    )


# Names sort in Norwegian order by a binary comparison of sort_key(); on PostgreSQL
# the column gets the "C" collation so that the server's locale cannot reorder it.
SEARCH_LENGTH = 200  # the folded search columns (name_search, title_search, record_label_search)
SORT_KEY_LENGTH = 300
SortKey = sa.String(SORT_KEY_LENGTH).with_variant(sa.String(SORT_KEY_LENGTH, collation="C"), "postgresql")


def link_table(name: str, owner: str, column: str, target: str) -> sa.Table:
    """A many-to-many table from ``owner`` (meetings, events) to ``target``, indexed both ways."""
    owner_column = f"{owner[:-1]}_id"
    return sa.Table(
        name, db.metadata,
        sa.Column(owner_column, sa.ForeignKey(f"{owner}.id", ondelete="CASCADE"), primary_key=True),
        sa.Column(column, sa.ForeignKey(f"{target}.id", ondelete="CASCADE"), primary_key=True),
        sa.Index(f"ix_{name}_{column}_{owner_column}", column, owner_column),
    )


def trigram_index(table: str, column: str) -> sa.Index:
    """On PostgreSQL, a trigram GIN index that serves ``column LIKE '%term%'`` (pg_trgm); no index elsewhere.

    SQLite has no such index: its search scans the folded column, which at 5,000 investors takes about a
    millisecond. The index exists on PostgreSQL only (``ddl_if``), in the models as in the migrations;
    ``for_this_database`` tells Alembic's comparison to leave it out on other databases.
    """
    return sa.Index(f"ix_{table}_{column}_trgm", column, postgresql_using="gin",
                    postgresql_ops={column: "gin_trgm_ops"}).ddl_if(dialect="postgresql")


def for_this_database(dialect_name: str):
    """An Alembic ``include_object`` that leaves out the model indexes meant for another database only."""

    def include_object(obj, name, type_, reflected, compare_to) -> bool:
        condition = getattr(obj, "_ddl_if", None)
        return not (type_ == "index" and not reflected and condition is not None
                    and condition.dialect not in (None, dialect_name))

    return include_object


# The trigram indexes need the pg_trgm extension; create_all (the tests) makes it first, as the migration does.
event.listen(db.metadata, "before_create",
             sa.DDL("CREATE EXTENSION IF NOT EXISTS pg_trgm").execute_if(dialect="postgresql"))


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False)


class NamedMixin:
    """A ``name`` with its folded search column and its Norwegian sort key, kept in step."""

    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    name_search: Mapped[str] = mapped_column(sa.String(SEARCH_LENGTH), nullable=False, default="")
    name_sort: Mapped[str] = mapped_column(SortKey, nullable=False, default="", index=True)

    @validates("name")
    def _keep_name_columns(self, key: str, name: str) -> str:
        # Folding can lengthen a name ("ß" becomes "ss", "ﬃ" "ffi"): cut to the columns' lengths.
        self.name_search = fold(name)[:SEARCH_LENGTH]
        self.name_sort = sort_key(name)[:SORT_KEY_LENGTH]
        return name


class VersionedMixin:
    """A version counter checked on every UPDATE (SQLAlchemy's version_id_col), against lost updates."""

    version: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        return {"version_id_col": cls.__table__.c.version}


class SoftDeleteMixin:
    """Deleting moves a record to the trash: it is hidden everywhere, and can be restored for 30 days."""

    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    deleted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @classmethod
    def alive(cls):
        """The WHERE clause for records not in the trash."""
        return cls.deleted_at.is_(None)


@event.listens_for(Session, "do_orm_execute")
def _hide_trashed_records(execute_state) -> None:
    """Every ORM SELECT leaves out records in the trash, relationship loads included.

    The trash itself, restoring and the checks for duplicates ask for them with
    ``execution_options(include_deleted=True)``.
    """
    if (execute_state.is_select and not execute_state.is_column_load and not execute_state.is_relationship_load
            and not execute_state.execution_options.get("include_deleted", False)):
        execute_state.statement = execute_state.statement.options(
            with_loader_criteria(SoftDeleteMixin, lambda cls: cls.deleted_at.is_(None), include_aliases=True))
