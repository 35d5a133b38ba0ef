"""The trash page: restore (managers) and empty (admins, after confirming their password)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import requires
from crm.auth.reauth import recent_sign_in_required
from crm.common.forms import ActionForm
from crm.errors import ValidationError
from crm.extensions import db
from crm.models import Role
from crm.trash import queries, services

bp = Blueprint("trash", __name__, url_prefix="/trash")


@bp.route("/")
def index():
    return render_template("trash/index.html", items=queries.trash_items(), action_form=ActionForm())


@bp.route(f"/<any({', '.join(services.TRASHABLE)}):kind>/<int:record_id>/restore", methods=["POST"])
@requires(Role.MANAGER)
def restore(kind: str, record_id: int):
    """:raise 404: when that record is not in the trash."""
    record = services.find_in_trash(kind, record_id)
    if record is None:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            services.restore(record, current_user)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("%(name)s is restored.", name=_label(record)), "success")
    return redirect(url_for("trash.index"))


@bp.route("/empty", methods=["POST"])
@requires(Role.ADMIN)
@recent_sign_in_required
def empty():
    """Delete everything in the trash for good."""
    if ActionForm().validate_on_submit():
        count = services.empty_trash(current_user)
        db.session.commit()
        flash(_("The trash is empty: %(count)s records deleted for good.", count=count), "success")
    return redirect(url_for("trash.index"))


def _label(record) -> str:
    return getattr(record, "name", None) or getattr(record, "display_title", "")
