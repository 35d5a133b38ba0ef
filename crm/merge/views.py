"""The likely duplicates the CRM holds, and merging two records field by field."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField

from crm.auth.access import requires
from crm.common.web import save
from crm.contacts.forms import ContactForm
from crm.investors.forms import InvestorForm
from crm.merge import queries, services
from crm.models import Role
from crm.startups.forms import StartupForm
from crm.users.queries import staff_choices

bp = Blueprint("merge", __name__, url_prefix="/duplicates")

TITLES = {"investors": _l("Investors"), "startups": _l("Startups"), "contacts": _l("Contacts")}
DETAIL = {"investors": ("investors.detail", "investor_id"), "startups": ("startups.detail", "startup_id"),
          "contacts": ("contacts.detail", "contact_id")}


def _labels_form(kind: str):
    """The kind's edit form, unbound: its labels and choices show the values as the edit page does."""
    if kind == "investors":
        return InvestorForm(formdata=None, meta={"csrf": False}, owner_choices=staff_choices())
    return {"startups": StartupForm, "contacts": ContactForm}[kind](formdata=None, meta={"csrf": False})


def _merge_form(fields: list[str]):
    class MergeForm(FlaskForm):
        kept_version = HiddenField()
        other_version = HiddenField()

    for name in fields:
        setattr(MergeForm, name, RadioField(default="kept"))
    form = MergeForm()
    for name in fields:
        form[name].choices = [("kept", _l("Keep this value")), ("other", _l("Take this value"))]
    return form


@bp.route("/")
def index():
    """Pairs of records that are likely the same, by the rules the import uses."""
    pairs = {kind: queries.duplicates(kind) for kind in TITLES}
    return render_template("merge/index.html", pairs=pairs, titles=TITLES, detail=DETAIL)


@bp.route("/<any(investors, startups, contacts):kind>/<int:kept_id>/<int:other_id>", methods=["GET", "POST"])
@requires(Role.MANAGER)
def merge(kind: str, kept_id: int, other_id: int):
    """Merge the second record into the first, choosing field by field. :raise 404: when either is gone."""
    kept, other = queries.get_record(kind, kept_id), queries.get_record(kind, other_id)
    fields = services.differing_fields(kind, kept, other)
    form = _merge_form(fields)
    conflict = None
    if request.method == "GET":
        form.kept_version.data, form.other_version.data = kept.version, other.version
    if form.validate_on_submit():
        chosen = {name for name in fields if form[name].data == "other"}
        outcome = save(form, lambda: services.merge_records(kind, kept, other, chosen, form.kept_version.data,
                                                            form.other_version.data, current_user))
        if outcome.ok:
            flash(_("Merged: %(name)s now holds what both records held; the other is in the trash.",
                    name=kept.name), "success")
            endpoint, arg = DETAIL[kind]
            return redirect(url_for(endpoint, **{arg: kept.id}))
        conflict = outcome.conflict
    spec = services.KINDS[kind]
    return render_template("merge/merge.html", kind=kind, title=TITLES[kind], kept=kept, other=other, form=form,
                           fields=fields, labels=_labels_form(kind), conflict=conflict, detail=DETAIL[kind],
                           kept_data=spec.record_data(kept), other_data=spec.record_data(other))
