"""Import pages: upload, map the columns, watch the rows being checked, preview, import, undo."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import blueprint_requires
from crm.common.forms import ActionForm
from crm.common.web import add_form_error, page_number
from crm.errors import ValidationError
from crm.extensions import db
from crm.imports import queries, services
from crm.imports.forms import CommitForm, UploadForm, mapping_form
from crm.imports.kinds import KINDS
from crm.imports.reading import FileProblem
from crm.models import ImportStatus, Role, RowAction

bp = Blueprint("imports", __name__, url_prefix="/imports")
bp.before_request(blueprint_requires(Role.MANAGER))


@bp.url_value_preprocessor
def allow_large_uploads(endpoint, values):
    """An upload may be larger than a form (CRM_IMPORT_MAX_BYTES); this runs before CSRF protection reads the body."""
    if endpoint == "imports.index" and request.method == "POST":
        request.max_content_length = current_app.config["IMPORT_MAX_BYTES"]


@bp.route("/", methods=["GET", "POST"])
def index():
    """Upload a file; the newest imports below."""
    form = UploadForm()
    if form.validate_on_submit():
        with form.file.data.stream as upload:  # a large upload is spooled to a temporary file: close it
            content = upload.read()
        try:
            batch = services.create_batch(form.kind.data, form.file.data.filename, content,
                                          current_app.config["IMPORT_MAX_ROWS"], current_user)
        except (FileProblem, ValidationError) as error:
            db.session.rollback()
            form.file.errors = list(form.file.errors) + [error.message]
        else:
            db.session.commit()
            return redirect(url_for("imports.columns", batch_id=batch.id))
    return render_template("imports/index.html", form=form, batches=queries.recent_batches(),
                           kinds=KINDS, max_mb=current_app.config["IMPORT_MAX_BYTES"] // (1024 * 1024))


@bp.route("/<int:batch_id>/columns", methods=["GET", "POST"])
def columns(batch_id: int):
    """Choose the field each column of the file goes to. :raise 404: no such import."""
    batch = queries.get_batch(batch_id)
    if batch.status in (ImportStatus.COMMITTED, ImportStatus.UNDONE):
        return redirect(url_for("imports.detail", batch_id=batch.id))
    form = mapping_form(batch, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        try:
            services.set_mapping(batch, [field.data for field in form.columns], current_user)
        except ValidationError as error:
            db.session.rollback()
            add_form_error(form, error)
        else:
            db.session.commit()
            return redirect(url_for("imports.progress", batch_id=batch.id))
    return render_template("imports/columns.html", batch=batch, form=form, kind=KINDS[batch.kind],
                           samples=queries.sample_rows(batch.id))


@bp.route("/<int:batch_id>/progress")
def progress(batch_id: int):
    """Check the next rows (a few seconds' worth), then show how far it got; the page reloads itself until done.

    Each request stays short, whatever the size of the file, and the user sees the count go up.
    """
    batch = queries.get_batch(batch_id)
    if batch.status is ImportStatus.PREVIEWING:
        services.preview_step(batch, current_app.config["IMPORT_STEP_SECONDS"])
        db.session.commit()
    if batch.status is not ImportStatus.PREVIEWING:
        return redirect(url_for("imports.detail", batch_id=batch.id))
    return render_template("imports/progress.html", batch=batch)


@bp.route("/<int:batch_id>")
def detail(batch_id: int):
    """The preview of every row (before the import) or the result (after). :raise 404: no such import."""
    batch = queries.get_batch(batch_id)
    if batch.status is ImportStatus.MAPPING:
        return redirect(url_for("imports.columns", batch_id=batch.id))
    if batch.status is ImportStatus.PREVIEWING:
        return redirect(url_for("imports.progress", batch_id=batch.id))
    shown = request.args.get("show", "")
    page = db.paginate(queries.batch_rows(batch.id, shown), page=page_number(), per_page=50, error_out=False)
    return render_template("imports/detail.html", batch=batch, kind=KINDS[batch.kind], page=page, shown=shown,
                           actions=RowAction, commit_form=CommitForm(), action_form=ActionForm(),
                           undo_refusal=services.undo_refusal(batch))


def _act(batch_id: int, form, action, done_message: str):
    """Run one of the buttons' services and commit, or roll back and show why not."""
    batch = queries.get_batch(batch_id)
    if form.validate_on_submit():
        try:
            action(batch)
        except ValidationError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(done_message, "success")
    return batch


@bp.route("/<int:batch_id>/commit", methods=["POST"])
def commit(batch_id: int):
    """Import the accepted rows in one transaction: all of them, or none."""
    form = CommitForm()
    batch = _act(batch_id, form, lambda b: services.commit_batch(b, form.policy.data, current_user),
                 _("The import is done."))
    return redirect(url_for("imports.detail", batch_id=batch.id))


@bp.route("/<int:batch_id>/undo", methods=["POST"])
def undo(batch_id: int):
    """Undo a whole import, within 24 hours and while nothing has changed its records."""
    batch = _act(batch_id, ActionForm(), lambda b: services.undo_batch(b, current_user), _("The import is undone."))
    return redirect(url_for("imports.detail", batch_id=batch.id))


@bp.route("/<int:batch_id>/recheck", methods=["POST"])
def recheck(batch_id: int):
    """Check every row again, against the records as they are now."""
    batch = _act(batch_id, ActionForm(), services.restart_preview, _("The rows are checked again."))
    return redirect(url_for("imports.progress", batch_id=batch.id))


@bp.route("/<int:batch_id>/discard", methods=["POST"])
def discard(batch_id: int):
    """Drop an upload that was not imported."""
    _act(batch_id, ActionForm(), lambda b: services.discard_batch(b, current_user), _("The upload is discarded."))
    return redirect(url_for("imports.index"))
