"""The JSON API: list, read, create, change and delete the five records, with a bearer token or a session.

Writes go through the same forms and services as the pages; errors come back as
``{"errors": {"field": ["message"]}}``. A change names the version it was made from (the
``version`` field, or an ``If-Match`` header with the ETag), so that it cannot silently
overwrite somebody else's.
"""
from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from crm.api.fields import form_input, plain_input, type_error
from crm.api.openapi import openapi_document
from crm.api.resources import RESOURCES, Resource
from crm.api.tokens import user_for_token
from crm.audit.recorder import bind_actor
from crm.auth.access import SAFE_METHODS, token_authenticated
from crm.common.records import check_version
from crm.common.web import page_number
from crm.errors import ConflictError, ValidationError
from crm.exports.lists import LISTS
from crm.extensions import csrf, db
from crm.models import Role

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # a token is no cookie a browser sends by itself; session requests are checked below
NAMES = "any(investors, contacts, startups, meetings, deals, 'follow-ups')"
MAX_PER_PAGE = 200


def errors(status: int, found: dict, **extra):
    response = jsonify({"errors": {key: [str(m) for m in messages] for key, messages in found.items()}, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.before_request
def authenticate():
    """A bearer token, or else a signed-in session (whose writes need the CSRF token); the role by the method."""
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
        if user is None:
            db.session.commit()
            return errors(401, {"token": [_("The token is not valid, or has been revoked.")]})
    elif current_user.is_authenticated and not g.get("must_set_up_two_factor"):
        user = current_user
        if request.method not in SAFE_METHODS:
            try:
                csrf.protect()
            except CSRFError:
                return errors(400, {"csrf": [_("Send the page's CSRF token in the X-CSRFToken header.")]})
    else:
        return errors(401, {"token": [_("Send a personal API token: Authorization: Bearer <token>.")]})
    db.session.commit()  # the token's time of use, apart from what the request does
    bind_actor(db.session, user)
    g.api_user = user
    if not user.has_role(Role.VIEWER if request.method in SAFE_METHODS else Role.MANAGER):
        return errors(403, {"role": [_("Your role may read, not change.")]})
    return None


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    return _http_error(error)


@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
def routing_error(error: HTTPException):
    """Unknown addresses and methods under /api/ answer in JSON too; elsewhere the app's own page."""
    if request.path.startswith(bp.url_prefix + "/"):
        return _http_error(error)
    from crm.errors import render_error
    body, code = render_error(error.code)
    return body, code, [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]


def _http_error(error: HTTPException):
    response = errors(error.code or 500, {"request": [error.description or error.name]})
    for name, value in error.get_headers():
        if name.lower() == "allow":
            response.headers[name] = value
    return response


def _record_response(resource: Resource, record, status: int = 200):
    response = jsonify(resource.dump(record))
    response.status_code = status
    response.headers["ETag"] = f'"{record.version}"'
    return response


def _expected_version(body: dict):
    """The version the client read: the body's ``version`` or the If-Match ETag; None when neither is sent."""
    if body.get("version") is not None:
        return body["version"]
    if request.if_match and not request.if_match.star_tag:
        tags = list(request.if_match)
        return tags[0] if tags else None
    return None


def _body() -> dict | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def _formdata(resource: Resource, body: dict, record=None) -> tuple[MultiDict, dict]:
    """The body (over the saved values, for a change) as form input, and the JSON type errors found on the way."""
    allowed, found, formdata = resource.writable(record is None), {}, MultiDict()
    if record is not None:
        saved = resource.saved_data(record)
        for name, field in allowed.items():
            if hasattr(saved, name):
                formdata.setlist(name, plain_input(field, getattr(saved, name)))
    for name, value in body.items():
        if name == "version" and record is not None:
            continue
        field = allowed.get(name)
        if field is None:
            found[name] = [_("This field cannot be written here.")]
        elif (problem := type_error(field, value)) is not None:
            found[name] = [problem]
        elif field.kind == "id" and value is None:
            formdata.setlist(name, ["0"])  # the forms' "nobody"
        else:
            formdata.setlist(name, form_input(field, value))
    if record is None:
        # What a browser would send for a field left as the form offered it (a meeting's 60 minutes).
        for field in resource.form(None):
            if field.name in allowed and field.name not in formdata and field.default not in (None, ""):
                formdata.add(field.name, str(field.default))
    return formdata, found


def _write(resource: Resource, body: dict, record=None):
    """Check the body with the feature's form, then save through its service; the one commit of the request."""
    formdata, found = _formdata(resource, body, record)
    if found:
        return errors(422, found)
    form = resource.form(formdata)
    if not form.validate():
        return errors(422, {name: messages for name, messages in form.errors.items()})
    try:
        if record is None:
            record = resource.create(resource.to_data(form), body, g.api_user)
        else:
            resource.update(record, resource.to_data(form), _expected_version(body), g.api_user)
        db.session.commit()
    except ValidationError as error:
        db.session.rollback()
        return errors(422, {error.field or "record": [error.message]})
    except (ConflictError, StaleDataError):
        db.session.rollback()
        return errors(409, {"version": [_("Somebody else saved this record since you read it. Read it again.")]},
                      current=resource.dump(resource.get(record.id)))
    return _record_response(resource, resource.get(record.id), 201 if request.method == "POST" else 200)


@bp.route(f"/<{NAMES}:name>", methods=["GET"])
@token_authenticated
def collection(name: str):
    """A page of records, filtered with the list page's query parameters."""
    resource = RESOURCES[name]
    stmt = LISTS[name](request.args).stmt.options(*resource.list_options)
    raw = request.args.get("per_page", "")
    per_page = min(int(raw[:4]), MAX_PER_PAGE) if raw.isdecimal() and int(raw[:4]) > 0 else current_app.config["PER_PAGE"]
    page = db.paginate(stmt, page=page_number(), per_page=per_page, error_out=False)
    return jsonify({"items": [resource.dump(r) for r in page.items], "page": page.page, "per_page": page.per_page,
                    "total": page.total, "pages": page.pages})


@bp.route(f"/<{NAMES}:name>", methods=["POST"])
@token_authenticated
def create(name: str):
    """Make a record; 201 with the record, or 422 with what is wrong."""
    body = _body()
    if body is None:
        return errors(400, {"body": [_("Send a JSON object.")]})
    return _write(RESOURCES[name], body)


@bp.route(f"/<{NAMES}:name>/<int:record_id>", methods=["GET"])
@token_authenticated
def read(name: str, record_id: int):
    """One record, with its version as the ETag."""
    resource = RESOURCES[name]
    return _record_response(resource, resource.get(record_id))


@bp.route(f"/<{NAMES}:name>/<int:record_id>", methods=["PATCH"])
@token_authenticated
def change(name: str, record_id: int):
    """Change the fields sent; the others keep their values. Needs the version read (428 without, 409 if stale)."""
    resource = RESOURCES[name]
    record = resource.get(record_id)
    body = _body()
    if body is None:
        return errors(400, {"body": [_("Send a JSON object.")]})
    if _expected_version(body) is None:
        return errors(428, {"version": [_("Send the version you read, as \"version\" or in an If-Match header.")]})
    return _write(resource, body, record)


@bp.route(f"/<{NAMES}:name>/<int:record_id>", methods=["DELETE"])
@token_authenticated
def delete(name: str, record_id: int):
    """Delete (to the trash, where the pages have one); needs the version read, as If-Match or ?version=."""
    resource = RESOURCES[name]
    record = resource.get(record_id)
    expected = _expected_version({"version": request.args.get("version")})
    if expected is None:
        return errors(428, {"version": [_("Send the version you read, in an If-Match header or as ?version=.")]})
    try:
        check_version(record.version, expected)
    except ConflictError:
        return errors(409, {"version": [_("Somebody else saved this record since you read it. Read it again.")]},
                      current=resource.dump(record))
    resource.delete(record, g.api_user)
    db.session.commit()
    return "", 204


@bp.route("/openapi.json")
@token_authenticated
def openapi():
    """The OpenAPI 3 description of this API (needs no token: it holds no data)."""
    return jsonify(openapi_document(url_for("api.openapi")))
