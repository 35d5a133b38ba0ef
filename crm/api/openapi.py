"""The OpenAPI 3 description of the API, built from the same field lists that check its requests."""
from crm.api.fields import AMOUNT_PATTERN, ApiField
from crm.api.resources import RESOURCES
from crm.common.web import MAX_RECORD_ID

SINGULAR = {"investors": "Investor", "contacts": "Contact", "startups": "Startup", "meetings": "Meeting",
            "deals": "Deal", "follow-ups": "FollowUp"}
FILTERS = {
    "investors": ["q", "country", "origin", "kind", "focus", "sort"],
    "contacts": ["q"],
    "startups": ["q", "status", "area", "modality", "stage", "sort"],
    "meetings": ["q", "kind", "startup", "investor", "date_from", "date_to", "sort"],
    "deals": ["startup", "round", "owner", "origin", "country", "area", "stage", "sort"],
    "follow-ups": ["user", "status"],
}


def _schema(field: ApiField) -> dict:
    kinds = {
        "string": {"type": "string"}, "boolean": {"type": "boolean"},
        "integer": {"type": "integer", "minimum": field.minimum, "maximum": field.maximum},
        "id": {"type": "integer", "minimum": 1, "maximum": MAX_RECORD_ID},
        "amount": {"type": "string", "pattern": AMOUNT_PATTERN, "description": "An exact amount, e.g. 1500000.00"},
        "date": {"type": "string", "format": "date"},
        "datetime": {"type": "string", "format": "date-time"},
        "enum": {"type": "string", "enum": list(field.choices)},
        "enums": {"type": "array", "items": {"type": "string", "enum": list(field.choices)}},
        "ids": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": MAX_RECORD_ID}},
    }
    schema = dict(kinds[field.kind])
    if field.max_length:
        schema["maxLength"] = field.max_length
    if field.nullable and field.kind != "boolean":
        schema["nullable"] = True
        if "enum" in schema:
            schema["enum"] = schema["enum"] + [None]
    return schema


def _record(resource) -> dict:
    properties = {"id": {"type": "integer"}, "version": {"type": "integer"},
                  "created_at": {"type": "string", "format": "date-time"},
                  "updated_at": {"type": "string", "format": "date-time"}}
    properties.update({f.name: _schema(f) for f in resource.fields})
    return {"type": "object", "properties": properties, "required": sorted(properties)}


def _input(resource, creating: bool) -> dict:
    fields = resource.writable(creating)
    properties = {name: _schema(field) for name, field in fields.items()}
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if creating:
        schema["required"] = [f.name for f in fields.values() if f.required]
    else:
        properties["version"] = {"type": "integer", "description": "The version read; or send If-Match."}
    return schema


def _json(schema_ref: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": schema_ref}}}}


ERRORS = "#/components/schemas/Errors"


def _errors(*codes: int) -> dict:
    texts = {400: "Not a JSON object, or no CSRF token with a session", 401: "No valid token",
             403: "The role may not do this", 404: "No such record", 409: "Changed since it was read",
             413: "Too large", 422: "Invalid: the form's messages by field", 428: "No version sent"}
    return {str(code): _json(ERRORS, texts[code]) for code in codes}


def _paths(name: str) -> dict:
    single, operation = SINGULAR[name], name.replace("-", "_")
    record, id_param = f"#/components/schemas/{single}", {
        "name": "record_id", "in": "path", "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_RECORD_ID}}
    query = [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 99999}},
             {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200}}]
    query += [{"name": key, "in": "query", "schema": {"type": "string"},
               "description": "As on the list page; a value the list does not offer is ignored."}
              for key in FILTERS[name]]
    if_match = {"name": "If-Match", "in": "header", "schema": {"type": "string"},
                "description": "The ETag read (the version in quotes)."}
    return {
        f"/api/v1/{name}": {
            "get": {"operationId": f"list_{operation}", "tags": [name], "parameters": query,
                    "responses": {"200": _json(f"#/components/schemas/{single}Page", "A page of records"),
                                  **_errors(401, 403)}},
            "post": {"operationId": f"create_{operation}", "tags": [name],
                     "requestBody": {"required": True, "content": {"application/json": {
                         "schema": {"$ref": f"#/components/schemas/{single}Create"}}}},
                     "responses": {"201": _json(record, "Made"), **_errors(400, 401, 403, 413, 422)}},
        },
        f"/api/v1/{name}/{{record_id}}": {
            "get": {"operationId": f"read_{operation}", "tags": [name], "parameters": [id_param],
                    "responses": {"200": _json(record, "The record; its version is the ETag"),
                                  **_errors(401, 403, 404)}},
            "patch": {"operationId": f"change_{operation}", "tags": [name], "parameters": [id_param, if_match],
                      "requestBody": {"required": True, "content": {"application/json": {
                          "schema": {"$ref": f"#/components/schemas/{single}Change"}}}},
                      "responses": {"200": _json(record, "Saved"),
                                    **_errors(400, 401, 403, 404, 409, 413, 422, 428)}},
            "delete": {"operationId": f"delete_{operation}", "tags": [name],
                       "parameters": [id_param, if_match, {"name": "version", "in": "query",
                                                           "schema": {"type": "integer"}}],
                       "responses": {"204": {"description": "Deleted (to the trash where there is one)"},
                                     **_errors(401, 403, 404, 409, 428)}},
        },
    }


def openapi_document(self_url: str) -> dict:
    """The whole description; ``self_url`` is where it is served."""
    schemas = {"Errors": {"type": "object", "required": ["errors"], "properties": {
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        "current": {"type": "object", "description": "The record as saved now (409 only)"}}}}
    paths = {}
    for name, resource in RESOURCES.items():
        single = SINGULAR[name]
        schemas[single] = _record(resource)
        schemas[f"{single}Create"] = _input(resource, creating=True)
        schemas[f"{single}Change"] = _input(resource, creating=False)
        schemas[f"{single}Page"] = {"type": "object", "required": ["items", "page", "per_page", "total", "pages"],
                                    "properties": {"items": {"type": "array",
                                                             "items": {"$ref": f"#/components/schemas/{single}"}},
                                                   "page": {"type": "integer"}, "per_page": {"type": "integer"},
                                                   "total": {"type": "integer"}, "pages": {"type": "integer"}}}
        paths.update(_paths(name))
    return {
        "openapi": "3.0.3",
        "info": {"title": "Cluster CRM API", "version": "1",
                 "description": f"Investors, contacts, startups, meetings, deals and follow-ups. Described at {self_url}. "
                                "Send a personal token (made on the account's API tokens page) as a bearer token. "
                                "Amounts are exact decimal strings; times are UTC."},
        "paths": paths,
        "components": {"schemas": schemas,
                       "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
        "security": [{"token": []}],
    }
