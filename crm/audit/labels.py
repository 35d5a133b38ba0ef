"""The names the audit log and a record's history show for the fields they record, in the reader's language."""
from flask_babel import lazy_gettext as _l

# Keyed by the stored name (a column, a collection, or a detail of an import, export or merge); the labels are
# the forms' where one fits. A name not listed is shown as it is stored, made readable ("ticket_min" -> "Ticket min").
FIELD_LABELS = {
    "active": _l("Active"),
    "assignee_id": _l("Whose it is"),
    "author_id": _l("By"),
    "changes": _l("Stage history"),  # a deal's stage changes
    "committed_amount": _l("Committed amount"),
    "consent_on": _l("Consent given on"),
    "contact_id": _l("Contact"),
    "contacts": _l("Contacts"),
    "country": _l("Country"),
    "created_by_id": _l("Logged by"),
    "currency": _l("Currency"),
    "deal_id": _l("Deal"),
    "deleted_at": _l("Deleted"),
    "description": _l("Description"),
    "development_stage": _l("Development stage"),
    "done_at": _l("Done"),
    "due_on": _l("Due"),
    "duration_minutes": _l("Duration (minutes)"),
    "email": _l("Email"),
    "ends_on": _l("Last day"),
    "erased_at": _l("Personal data erased"),
    "event_id": _l("Event"),
    "expected_amount": _l("Expected amount"),
    "expires_at": _l("Valid until"),
    "file": _l("File"),
    "focus": _l("Focus"),
    "id": _l("Id"),
    "incubator_status": _l("Incubator status"),
    "indication": _l("Indication"),
    "investor_id": _l("Investor"),
    "investors": _l("Investors"),
    "kind": _l("Type"),
    "label": _l("Label"),
    "legal_basis": _l("Legal basis"),
    "location": _l("Place"),
    "meeting_id": _l("Meeting"),
    "modality": _l("Modality"),
    "name": _l("Name"),
    "next_steps": _l("Next steps"),
    "notes": _l("Notes"),
    "org_number": _l("Organisation number"),
    "outcome": _l("Outcome"),
    "owner_id": _l("Owner"),
    "pass_reason": _l("Why the investor passed"),
    "pass_reason_text": _l("The reason in words"),
    "password_hash": _l("Password"),
    "phone": _l("Phone"),
    "pitch": _l("Pitch"),
    "place": _l("Place"),
    "prefix": _l("Starts with"),
    "revoked_at": _l("Revoked"),
    "role": _l("Role"),
    "round_currency": _l("Currency"),
    "round_kind": _l("Round"),
    "round_target": _l("Round target"),
    "rows": _l("Rows"),
    "slot_minutes": _l("Meeting slot (minutes)"),
    "source": _l("Source"),
    "stage": _l("Stage"),
    "stage_changed_at": _l("In stage since"),
    "staff": _l("Staff present"),
    "starts_at": _l("Date and time"),
    "starts_on": _l("First day"),
    "startup_id": _l("Startup"),
    "startups": _l("Startups"),
    "status": _l("Status"),
    "team": _l("Team"),
    "therapeutic_area": _l("Therapeutic area"),
    "ticket_max": _l("Ticket up to"),
    "ticket_min": _l("Ticket from"),
    "title": _l("Title"),
    "totp_enabled_at": _l("Two-factor sign-in"),
    "totp_secret": _l("Two-factor sign-in"),
    "user_id": _l("Who"),
    "website": _l("Website"),
}


# The kinds of record in the log (table names) that its filter does not offer.
OTHER_RECORD_KINDS = {"calendar_feeds": _l("Calendar feed"), "notes": _l("Notes")}


def field_label(name: str) -> str:
    """The label of a recorded field: 'ticket_min' -> 'Ticket from' ('Investering fra' in Norwegian)."""
    label = FIELD_LABELS.get(name)
    return str(label) if label is not None else name.replace("_", " ").capitalize()
