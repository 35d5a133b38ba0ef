"""Records every create, update and delete of audited models in the same transaction.

A SQLAlchemy ``after_flush`` hook compares each audited object's attributes with their
history and inserts one audit row per changed record through the flush's own connection,
so the log commits or rolls back with the change itself. Models opt in with
``__audited__ = True`` and may leave fields out with ``__audit_exclude__``, or record only
that a secret changed, never its value, with ``__audit_redact__``. The acting
user comes from ``session.info["audit_actor"]``, bound per request (or by a command).
"""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import event, inspect
from sqlalchemy.orm import ColumnProperty, RelationshipProperty, Session

from crm.common.text import fold
from crm.common.timeutil import utcnow
from crm.models import AuditAction, AuditEntry

# Bookkeeping columns whose changes say nothing a reader of the log needs.
ALWAYS_EXCLUDED = frozenset({"id", "name_search", "name_sort", "title_search", "version", "created_at",
                             "updated_at", "deleted_by_id"})


def bind_actor(session, user) -> None:
    """Name the user whose changes this session's flushes record (None: the system)."""
    session.info["audit_actor"] = (user.id, user.email) if user is not None else (None, "")


HIDDEN = "[hidden]"


def record_type(obj) -> str:
    return type(obj).__tablename__


def record_label(obj) -> str:
    for attribute in ("name", "display_title", "email"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)[:200]
    return f"#{obj.id}"


def plain(value):
    """A JSON-safe form of a column value."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return sorted(plain(v) for v in value)
    if hasattr(value, "__tablename__"):
        return record_label(value)
    return str(value)


def _excluded(obj) -> frozenset:
    return ALWAYS_EXCLUDED | getattr(type(obj), "__audit_exclude__", frozenset())


def _audited(obj) -> bool:
    return getattr(type(obj), "__audited__", False)


def _collection_values(obj, key: str, history) -> tuple[list, list]:
    if key == "focus":  # an investor's focus rows read as their values
        as_values = lambda items: sorted(f"{f.dimension.value}:{f.value}" for f in items)  # noqa: E731
    else:
        as_values = lambda items: sorted(record_label(i) for i in items)  # noqa: E731
    before = as_values(list(history.unchanged) + list(history.deleted))
    after = as_values(list(history.unchanged) + list(history.added))
    return before, after


def changes_of(obj, *, creating: bool) -> dict:
    """``{field: [old, new]}`` for every audited attribute that changed (all set ones when creating)."""
    state = inspect(obj)
    excluded = _excluded(obj)
    redacted = getattr(type(obj), "__audit_redact__", frozenset())
    changes = {}
    for prop in state.mapper.iterate_properties:
        key = prop.key
        if key in excluded:
            continue
        history = state.attrs[key].history
        if key in redacted:
            # A new password hash or secret: the log says that it changed, not to what.
            old = history.deleted[0] if history.deleted else None
            new = getattr(obj, key) if creating else (history.added[0] if history.added else None)
            if creating and new or not creating and history.has_changes():
                changes[key] = [HIDDEN if old else None, HIDDEN if new else None]
        elif isinstance(prop, ColumnProperty):
            if creating:
                value = plain(getattr(obj, key))
                if value not in (None, "", []):
                    changes[key] = [None, value]
            elif history.has_changes():
                old = plain(history.deleted[0]) if history.deleted else None
                new = plain(history.added[0]) if history.added else None
                if old != new:
                    changes[key] = [old, new]
        elif isinstance(prop, RelationshipProperty) and prop.uselist and not prop.viewonly:
            if history.has_changes() or (creating and history.added):
                before, after = _collection_values(obj, key, history)
                if before != after:
                    changes[key] = [before or None, after]
    return changes


def _action_for(changes: dict) -> AuditAction:
    deleted = changes.get("deleted_at")
    if deleted and deleted[0] is None and deleted[1] is not None:
        return AuditAction.DELETE
    if deleted and deleted[0] is not None and deleted[1] is None:
        return AuditAction.RESTORE
    return AuditAction.UPDATE


def _row(session, obj, action: AuditAction, changes: dict, now) -> dict:
    user_id, user_label = session.info.get("audit_actor", (None, ""))
    label = record_label(obj)
    return {"at": now, "user_id": user_id, "user_label": user_label or "", "action": action,
            "record_type": record_type(obj), "record_id": obj.id, "record_label": label,
            "record_label_search": fold(label)[:200], "changes": changes}


def record_event(session, action: AuditAction, record_type: str, record_id: int, label: str, details: dict) -> None:
    """Log something that is not a change of one record's fields (an import, an export, a merge), by the bound actor.

    Each detail is stored as ``[None, value]``, the shape of a field's change, so that the log and the
    record's history show it as they show any other entry.
    """
    user_id, user_label = session.info.get("audit_actor", (None, ""))
    session.add(AuditEntry(at=utcnow(), user_id=user_id, user_label=user_label or "", action=action,
                           record_type=record_type, record_id=record_id, record_label=label[:200],
                           record_label_search=fold(label)[:200],
                           changes={key: [None, value] for key, value in details.items()}))


@event.listens_for(Session, "after_flush")
def record_changes(session, flush_context) -> None:
    if session.info.get("audit_disabled"):
        return
    now = utcnow()
    rows = []
    for obj in session.new:
        if _audited(obj):
            rows.append(_row(session, obj, AuditAction.CREATE, changes_of(obj, creating=True), now))
    for obj in session.dirty:
        if not _audited(obj) or obj in session.new or obj in session.deleted:
            continue
        changes = changes_of(obj, creating=False)
        if changes:
            rows.append(_row(session, obj, _action_for(changes), changes, now))
    for obj in session.deleted:
        if _audited(obj):
            rows.append(_row(session, obj, AuditAction.PURGE, {}, now))
    if rows:
        session.connection().execute(AuditEntry.__table__.insert(), rows)


@event.listens_for(Session, "before_flush")
def refuse_log_changes(session, flush_context, instances) -> None:
    """The log is append-only for the app: editing or deleting an entry is refused."""
    if session.info.get("audit_scrubbing"):
        return
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise PermissionError("The audit log cannot be edited or deleted.")


@event.listens_for(Session, "do_orm_execute")
def refuse_bulk_log_changes(execute_state) -> None:
    """The same for ORM bulk statements (``update(AuditEntry)``, ``delete(AuditEntry)``), which skip the flush."""
    if (execute_state.is_update or execute_state.is_delete) and not execute_state.session.info.get("audit_scrubbing") \
            and any(mapper.class_ is AuditEntry for mapper in execute_state.all_mappers):
        raise PermissionError("The audit log cannot be edited or deleted.")
