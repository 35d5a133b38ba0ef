"""The API against its own OpenAPI description, with schemathesis in-process (WSGI): no server errors, and no
response (status, content type, headers, body) that the description does not allow."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from crm.api.tokens import create_token
from crm.extensions import db as _db
from tests import factories

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture()
def api_schema(app, db, admin_user):
    """Records with the ids the generated requests are likely to name (1, 2, ...), and the served description."""
    fjord = factories.make_investor(name="Fjord Kapital", org_number="974760673")
    other = factories.make_investor(name="Nordic Ventures", country="SE")
    startup = factories.make_startup(name="Onco Bio")
    contact = factories.make_contact(fjord, name="Kari Nordmann", email="kari@example.com")
    factories.make_meeting(startups=[startup], investors=[fjord, other], contacts=[contact])
    factories.make_deal(startup, fjord)
    _db.session.commit()
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture()
def admin_token(api_schema, admin_user):
    _record, plain = create_token(admin_user, "schemathesis", admin_user)
    _db.session.commit()
    return plain


OPERATIONS = [(method, f"/api/v1/{name}{suffix}") for name in ("investors", "contacts", "startups", "meetings", "deals")
              for suffix, methods in (("", ("GET", "POST")), ("/{record_id}", ("GET", "PATCH", "DELETE")))
              for method in methods]


@pytest.mark.parametrize("method,path", OPERATIONS)
def test_the_api_keeps_to_its_description(api_schema, admin_token, method, path):
    # Hypothesis drives schemathesis's strategy for each operation directly: its pytest plugin does not run
    # on this pytest yet. Modest example counts keep the whole run to about a minute.
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=15, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)

    run()
