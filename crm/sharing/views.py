"""Staff pages for sharing: profile settings, confidential material, share links, agreements. HTTP only."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import requires
from crm.common import timeutil
from crm.common.forms import ActionForm
from crm.common.web import confirm_delete, id_arg, save
from crm.contacts.queries import contact_choices
from crm.investors.queries import get_investor, investor_choices
from crm.extensions import db
from crm.models import Role
from crm.sharing import queries, services
from crm.sharing.forms import AgreementForm, ItemForm, LinkForm, ProfileForm
from crm.startups.queries import get_startup, startup_choices

bp = Blueprint("sharing", __name__)


def _startup_url(startup_id: int) -> str:
    return url_for("startups.detail", startup_id=startup_id, _anchor="public-profile")


@bp.route("/startups/<int:startup_id>/profile", methods=["GET", "POST"])
@requires(Role.MANAGER)
def profile(startup_id: int):
    """Choose the fields the profile shows and which are confidential. :raise 404: when there is no such startup."""
    startup = get_startup(startup_id)
    saved = queries.get_profile(startup_id)
    contacts = [(c.id, c.name) for c in startup.contacts]
    conflict = None
    if request.method == "GET":
        form = ProfileForm(obj=services.profile_data(saved), contacts=contacts)
        form.version.data = saved.version if saved else ""
    else:
        form = ProfileForm(contacts=contacts)
    if form.validate_on_submit():
        outcome = save(form, lambda: services.set_profile(startup, saved, form.to_data(), form.version.data,
                                                          current_user), record=saved)
        if outcome.ok:
            flash(_("The public profile of %(name)s is saved.", name=startup.name), "success")
            return redirect(_startup_url(startup.id))
        conflict = outcome.conflict
    return render_template("sharing/profile.html", form=form, startup=startup, conflict=conflict,
                           items=queries.confidential_items(startup_id), action_form=ActionForm())


@bp.route("/startups/<int:startup_id>/profile/preview")
def preview(startup_id: int):
    """The share page as a reader sees it now: a link's reader (``?link=``), or anyone with or without an agreement.

    :raise 404: when there is no such startup, or the link is not one of its links.
    """
    startup = get_startup(startup_id)
    now = timeutil.utcnow()
    link_id = id_arg("link")
    link = queries.get_link(startup_id, link_id) if link_id else None
    confidential = None if link else request.args.get("confidential") == "1"
    shown = queries.profile_for(startup, link, now, confidential=confidential,
                                sender=queries.link_sender(link, current_user))
    return render_template("public/profile.html", profile=shown, startup=startup, link=link,
                           link_status=link.status(now) if link else None, confidential=confidential,
                           back_url=_startup_url(startup.id))


@bp.route("/startups/<int:startup_id>/profile/items/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new_item(startup_id: int):
    """Attach confidential material. :raise 404: when there is no such startup."""
    startup = get_startup(startup_id)
    form = ItemForm()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.add_confidential_item(startup, form.to_data(), current_user))
        if outcome.ok:
            flash(_("%(title)s added to the confidential material.", title=outcome.value.title), "success")
            return redirect(url_for("sharing.profile", startup_id=startup.id))
    return render_template("sharing/item_form.html", form=form, startup=startup)


@bp.route("/startups/<int:startup_id>/profile/items/<int:item_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete_item(startup_id: int, item_id: int):
    """GET asks for confirmation; POST removes. :raise 404: when the startup has no such item."""
    item = queries.get_item(startup_id, item_id)
    back = url_for("sharing.profile", startup_id=startup_id)
    return confirm_delete(
        ActionForm(), title=_("Remove confidential material"),
        question=_("Remove %(title)s? Share links stop showing it at once.", title=item.title), cancel_url=back,
        delete=lambda: services.remove_confidential_item(item, current_user),
        done_url=back, done_message=_("%(title)s removed.", title=item.title))


@bp.route("/startups/<int:startup_id>/links/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new_link(startup_id: int):
    """Make a share link; ``?investor_id=`` pre-fills the investor. The token is shown once, on the reply.

    :raise 404: when there is no such startup.
    """
    startup = get_startup(startup_id)
    form = LinkForm(investors=investor_choices(), contacts=contact_choices(investors_only=True))
    if request.method == "GET":
        form.investor_id.data = id_arg("investor_id") or 0
        form.expires_on.data = services.default_expiry()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_share_link(startup, form.to_data(), current_user))
        if outcome.ok:
            link, token = outcome.value
            page = render_template("sharing/link_created.html", startup=startup, link=link,
                                   url=url_for("public.profile", token=token, _external=True))
            # The page holds the only copy of the token: no cache may keep it.
            return page, 200, {"Cache-Control": "no-store"}
    return render_template("sharing/link_form.html", form=form, startup=startup)


@bp.route("/startups/<int:startup_id>/links/<int:link_id>/revoke", methods=["POST"])
def revoke_link(startup_id: int, link_id: int):
    """Stop a link from working; it stays listed as revoked. :raise 404: when the startup has no such link."""
    link = queries.get_link(startup_id, link_id)
    form = ActionForm()
    if form.validate_on_submit() and link.revoked_at is None:
        services.revoke_share_link(link, current_user)
        db.session.commit()
        flash(_("The link is revoked: whoever opens it now is told that it no longer works."), "success")
    return redirect(_startup_url(startup_id))


@bp.route("/investors/<int:investor_id>/agreements/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new_agreement(investor_id: int):
    """Record a confidentiality agreement; ``?startup_id=`` pre-fills the startup.

    :raise 404: when there is no such investor.
    """
    investor = get_investor(investor_id)
    form = AgreementForm(startups=startup_choices())
    if request.method == "GET":
        form.startup_id.data = id_arg("startup_id") or 0
        form.signed_on.data = timeutil.local_today()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.record_agreement(investor, form.to_data(), current_user))
        if outcome.ok:
            flash(_("Confidentiality agreement with %(name)s recorded.", name=outcome.value.startup.name),
                  "success")
            return redirect(url_for("investors.detail", investor_id=investor.id, _anchor="sharing"))
    return render_template("sharing/agreement_form.html", form=form, investor=investor)


@bp.route("/investors/<int:investor_id>/agreements/<int:agreement_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete_agreement(investor_id: int, agreement_id: int):
    """GET asks for confirmation; POST deletes. :raise 404: when the investor has no such agreement."""
    agreement = queries.get_agreement(investor_id, agreement_id)
    back = url_for("investors.detail", investor_id=investor_id, _anchor="sharing")
    return confirm_delete(
        ActionForm(), title=_("Delete confidentiality agreement"),
        question=_("Delete the agreement with %(name)s? The investor's links stop showing its confidential "
                   "material at once.", name=agreement.startup.name), cancel_url=back,
        delete=lambda: services.delete_agreement(agreement, current_user),
        done_url=back, done_message=_("Agreement deleted."))
