"""Downloading a list as CSV or XLSX; the query string carries the list page's filters."""
from flask import Blueprint, Response, request
from flask_login import current_user

from crm.common.timeutil import local_today
from crm.exports.lists import LISTS
from crm.exports.services import export_list
from crm.extensions import db

bp = Blueprint("exports", __name__, url_prefix="/exports")


@bp.route("/<any(investors, contacts, startups, meetings, deals, 'follow-ups'):name>.<any(csv, xlsx):fmt>")
def download(name: str, fmt: str):
    """Every role may export what it may read; the export is recorded in the audit log."""
    exported = export_list(name, LISTS[name](request.args), fmt, current_user)
    db.session.commit()
    filename = f"{name}-{local_today().isoformat()}.{fmt}"
    return Response(exported.content, mimetype=exported.mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
