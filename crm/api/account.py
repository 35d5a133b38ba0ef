"""The account's API tokens page: make a token (shown once) and revoke tokens; every role has its own."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.validators import DataRequired, Length

from crm.api import tokens
from crm.auth.access import requires
from crm.common.forms import ActionForm
from crm.common.validators import StrippedStringField
from crm.common.web import save
from crm.extensions import db
from crm.models import ApiToken, Role

bp = Blueprint("tokens", __name__, url_prefix="/account/tokens")


class TokenForm(FlaskForm):
    name = StrippedStringField(_l("What the token is for"), validators=[DataRequired(), Length(max=100)],
                               description=_l("For example: the board's reporting spreadsheet."))


@bp.route("/", methods=["GET", "POST"])
@requires(Role.VIEWER)
def index():
    """The user's tokens; a new one is shown once, right after it is made."""
    form = TokenForm()
    created = None
    if form.validate_on_submit():
        outcome = save(form, lambda: tokens.create_token(current_user, form.name.data, current_user))
        if outcome.ok:
            created = outcome.value[1]
            form = TokenForm(formdata=None)
    return render_template("tokens/index.html", form=form, created=created, tokens=tokens.tokens_of(current_user),
                           action_form=ActionForm())


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@requires(Role.VIEWER)
def revoke(token_id: int):
    """:raise 404: when the user has no such token."""
    token = db.get_or_404(ApiToken, token_id)
    if token.user_id != current_user.id:
        abort(404)
    if ActionForm().validate_on_submit():
        tokens.revoke_token(token, current_user)
        db.session.commit()
        flash(_("The token “%(name)s” no longer works.", name=token.name), "success")
    return redirect(url_for("tokens.index"))
