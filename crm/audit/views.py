"""The administrator's audit log: every change to every record, searchable; read-only."""
from datetime import datetime, time, timedelta

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from wtforms import DateField, Form, SelectField, StringField
from wtforms.validators import Optional

from crm.audit import queries
from crm.audit.labels import OTHER_RECORD_KINDS
from crm.auth.access import blueprint_requires
from crm.common.timeutil import local_to_utc
from crm.common.web import clean_choice_filters, page_number
from crm.extensions import db
from crm.models import AuditAction, Role

bp = Blueprint("audit", __name__, url_prefix="/audit")
bp.before_request(blueprint_requires(Role.ADMIN))

RECORD_TYPES = [("investors", _l("Investors")), ("contacts", _l("Contacts")), ("startups", _l("Startups")),
                ("meetings", _l("Meetings")), ("deals", _l("Deals")), ("share_links", _l("Share links")),
                ("follow_ups", _l("Follow-ups")), ("events", _l("Events")), ("users", _l("Users")),
                ("import_batches", _l("Imports")), ("api_tokens", _l("API tokens"))]


class AuditFilterForm(Form):
    q = StringField(_l("Record"))
    record_type = SelectField(_l("Kind"))
    action = SelectField(_l("Change"))
    user = StringField(_l("By (email)"))
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata, **kwargs)
        self.record_type.choices = [("", _l("All"))] + RECORD_TYPES
        self.action.choices = [("", _l("All"))] + AuditAction.choices()
        clean_choice_filters(self)
        self.validate()
        self.q.data = (self.q.data or "").strip()[:100]
        self.user.data = (self.user.data or "").strip()[:100]


def _utc_day_start(day):
    try:
        return local_to_utc(datetime.combine(day, time())) if day else None
    except (OverflowError, ValueError):
        return None


@bp.route("/")
def index():
    form = AuditFilterForm(request.args)
    end_day = form.date_to.data + timedelta(days=1) if form.date_to.data and form.date_to.data.year < 9999 else None
    filters = queries.LogFilters(q=form.q.data, record_type=form.record_type.data, action=form.action.data,
                                 user=form.user.data, start=_utc_day_start(form.date_from.data),
                                 end=_utc_day_start(end_day))
    page = db.paginate(queries.audit_log(filters), page=page_number(), per_page=50, error_out=False)
    return render_template("audit/index.html", page=page, filters=form, record_types={**OTHER_RECORD_KINDS, **dict(RECORD_TYPES)})
