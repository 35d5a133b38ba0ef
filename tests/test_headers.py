"""Security headers on every kind of page: the sign-in page, lists, detail pages, error pages, downloads."""
import pytest

from tests import factories


def policy(response) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    header = response.headers.get("Content-Security-Policy", "")
    return {part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2] for part in header.split(";") if part.strip()}


def assert_secure_headers(response):
    csp = policy(response)
    assert "script-src" in csp or "default-src" in csp
    scripts = csp.get("script-src", csp.get("default-src"))
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts.split()
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] in ("no-referrer", "same-origin", "strict-origin",
                                                   "strict-origin-when-cross-origin")
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP here: HSTS would be ignored


@pytest.fixture()
def pages(db, admin_client):
    investor = factories.make_investor(name="Fjordinvest")
    contact = factories.make_contact(investor, name="Kari Nordmann")
    db.session.commit()
    return {"list": "/investors/", "detail": f"/investors/{investor.id}", "contact": f"/contacts/{contact.id}",
            "form": "/investors/new", "admin": "/audit/", "json download": f"/contacts/{contact.id}/personal-data.json",
            "not found": "/investors/999999", "overview": "/"}


def test_the_sign_in_page_sends_the_security_headers(client):
    response = client.get("/auth/login")
    assert response.status_code == 200
    assert_secure_headers(response)


def test_a_redirect_to_the_sign_in_page_sends_them_too(client):
    response = client.get("/investors/")
    assert response.status_code == 302
    assert_secure_headers(response)


@pytest.mark.parametrize("kind", ["list", "detail", "contact", "form", "admin", "json download", "not found",
                                  "overview"])
def test_every_kind_of_page_sends_the_security_headers(pages, admin_client, kind):
    response = admin_client.get(pages[kind])
    assert response.status_code == (404 if kind == "not found" else 200)
    assert_secure_headers(response)
    assert response.headers["Cache-Control"] == "no-store"  # pages with personal data stay out of caches


@pytest.mark.parametrize("method,url,code", [
    ("GET", "/no-such-page", 404),
    ("GET", "/auth/logout", 405),
    ("POST", "/investors/new", 400),  # no CSRF token
    ("GET", "/users/", 403),
])
def test_error_pages_send_the_security_headers(manager_client, method, url, code):
    response = manager_client.open(url, method=method)
    assert response.status_code == code
    assert_secure_headers(response)


def test_the_pages_carry_no_inline_script(pages, admin_client):
    for url in pages.values():
        text = admin_client.get(url).get_data(as_text=True)
        assert "<script>" not in text and " onclick=" not in text and "javascript:" not in text, url


def test_hsts_is_sent_over_https_only(client):
    over_https = client.get("/auth/login", base_url="https://localhost")
    assert over_https.headers["Strict-Transport-Security"].startswith("max-age=")
    assert int(over_https.headers["Strict-Transport-Security"].split("=")[1].split(";")[0]) >= 15552000
    assert_secure_headers(client.get("/auth/login"))


def test_static_files_send_nosniff_and_may_be_cached(client):
    response = client.get("/static/app.css")
    assert response.status_code == 200
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers.get("Cache-Control") != "no-store"
    response.close()
