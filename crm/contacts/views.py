"""Contact pages: added from an investor's or a startup's page."""
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.audit.queries import history_of
from crm.auth.access import requires
from crm.common.forms import ActionForm
from crm.common.web import confirm_delete, id_arg, page_number, save
from crm.auth.reauth import recent_sign_in_required
from crm.contacts import gdpr, queries, services
from crm.contacts.forms import ContactFilterForm, ContactForm
from crm.extensions import db
from crm.meetings.queries import meetings_of
from crm.models import Investor, Role, Startup
from crm.timeline.context import record_activity

bp = Blueprint("contacts", __name__, url_prefix="/contacts")


def _organisation_url(contact_or_org) -> str:
    org = getattr(contact_or_org, "organisation", contact_or_org)
    if isinstance(org, Investor):
        return url_for("investors.detail", investor_id=org.id)
    return url_for("startups.detail", startup_id=org.id)


@bp.route("/")
def index():
    filters = ContactFilterForm(request.args)
    page = db.paginate(queries.contact_list(filters.q.data, filters.sort.data), page=page_number(),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("contacts/index.html", page=page, filters=filters)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new():
    """Add a person to ``?investor_id=`` or ``?startup_id=``. :raise 404: when neither names a record."""
    organisation = None
    if (investor_id := id_arg("investor_id")) is not None:
        organisation = db.get_or_404(Investor, investor_id)
    elif (startup_id := id_arg("startup_id")) is not None:
        organisation = db.get_or_404(Startup, startup_id)
    if organisation is None:
        abort(404)
    form = ContactForm()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_contact(form.to_data(), organisation, current_user))
        if outcome.ok:
            flash(_("Contact %(name)s added to %(org)s.", name=outcome.value.name, org=organisation.name), "success")
            return redirect(_organisation_url(organisation))
    return render_template("contacts/form.html", form=form, contact=None, organisation=organisation,
                           cancel_url=_organisation_url(organisation))


@bp.route("/<int:contact_id>")
def detail(contact_id: int):
    """:raise 404: when there is no such contact."""
    contact = queries.get_contact(contact_id)
    return render_template("contacts/detail.html", contact=contact,
                           meetings=meetings_of("contact", contact_id),
                           organisation_url=_organisation_url(contact), history=history_of("contacts", contact_id),
                           **record_activity("contact", contact_id))


@bp.route("/<int:contact_id>/edit", methods=["GET", "POST"])
@requires(Role.MANAGER)
def edit(contact_id: int):
    """:raise 404: when there is no such contact."""
    contact = queries.get_contact(contact_id)
    form = ContactForm(obj=contact) if request.method == "GET" else ContactForm()
    conflict = None
    if form.validate_on_submit():
        outcome = save(form, lambda: services.update_contact(contact, form.to_data(), form.version.data,
                                                             current_user), record=contact)
        if outcome.ok:
            flash(_("Contact %(name)s saved.", name=contact.name), "success")
            return redirect(url_for("contacts.detail", contact_id=contact.id))
        conflict = outcome.conflict
    return render_template("contacts/form.html", form=form, contact=contact, organisation=contact.organisation,
                           cancel_url=url_for("contacts.detail", contact_id=contact.id), conflict=conflict)


@bp.route("/<int:contact_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete(contact_id: int):
    """GET asks for confirmation; POST deletes. :raise 404: when there is no such contact."""
    contact = queries.get_contact(contact_id)
    return confirm_delete(
        ActionForm(), title=_("Delete contact"),
        question=_("Delete %(name)s? Meetings they attended stay, without them.", name=contact.name),
        cancel_url=url_for("contacts.detail", contact_id=contact.id),
        delete=lambda: services.delete_contact(contact, current_user),
        done_url=_organisation_url(contact), done_message=_("Contact %(name)s deleted.", name=contact.name))


@bp.route("/<int:contact_id>/personal-data")
@requires(Role.ADMIN)
def personal_data(contact_id: int):
    """Everything the CRM holds about this person, as a page. :raise 404: when there is no such contact."""
    contact = queries.get_contact(contact_id)
    return render_template("contacts/personal_data.html", contact=contact, data=gdpr.personal_data(contact))


@bp.route("/<int:contact_id>/personal-data.json")
@requires(Role.ADMIN)
def personal_data_json(contact_id: int):
    """The same as a JSON download, for answering an access request."""
    contact = queries.get_contact(contact_id)
    response = jsonify(gdpr.personal_data(contact))
    response.headers["Content-Disposition"] = f'attachment; filename="personal-data-contact-{contact_id}.json"'
    return response


@bp.route("/<int:contact_id>/erase", methods=["GET", "POST"])
@requires(Role.ADMIN)
@recent_sign_in_required
def erase(contact_id: int):
    """Erase a person (GDPR art. 17) after a confirmation. :raise 404: when there is no such contact."""
    contact = queries.get_contact(contact_id)
    form = ActionForm()
    if form.validate_on_submit():
        gdpr.erase_contact(contact, current_user)
        db.session.commit()
        flash(_("The person's personal data is erased."), "success")
        return redirect(url_for("contacts.detail", contact_id=contact_id))
    return render_template("contacts/erase.html", form=form, contact=contact)


@bp.route("/retention")
@requires(Role.ADMIN)
def retention():
    """Contacts with no activity for the retention period, for review."""
    months = current_app.config["RETENTION_MONTHS"]
    return render_template("contacts/retention.html", rows=gdpr.contacts_to_review(months), months=months)
