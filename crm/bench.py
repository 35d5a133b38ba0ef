"""The benchmark behind ``flask --app crm bench``: the main pages at a decade's data, against a bare route.

It builds a fresh database from the migrations (a SQLite file in a temporary folder, or the empty
PostgreSQL database given), loads the large demo set (crm/demo_large.py) and then, for every
main page and for a route that returns a fixed short text (the baseline):

- counts the SQL statements a request runs (a ``before_cursor_execute`` listener) and the ORM
  objects it loads (an instance ``load`` listener);
- times requests in-process through the test client, in interleaved rounds (the order of the
  pages reversed every other round), and gives the median and the 95th percentile, and the
  median as a multiple of the bare route's;
- with ``--http``, starts gunicorn with 2 workers on a free port of 127.0.0.1, loads each page
  for a few seconds from a small threaded client (rounds in alternating order) and gives the
  requests per second as a share of the bare route's.

The bare route exists only in the benchmark's app (``add_bare_route``); the normal app has no
such address. Rate limits are off in the benchmark's app, since one address sends every request.
"""
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlencode

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event

from config import normalize_database_url
from crm.extensions import db

BARE = "bare route"
BARE_PATH = "/_bench/bare"
SEARCH = "bjørk"  # part of a place name that about one investor in forty has
REPEAT = 3  # requests to each page per round
SLOW = 0.5
HTTP_CLIENTS = 4
HTTP_ROUNDS = 2
BENCH_PER_PAGE = 50  # rows a list page shows in the benchmark


class BenchError(Exception):
    """The benchmark cannot run (a database with data in it, gunicorn not starting)."""


def add_bare_route(app: Flask) -> None:
    """The baseline: a route that returns a fixed short text, through the app's hooks but no query."""
    from crm.auth.access import public

    @public
    def bare():
        return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}

    app.add_url_rule(BARE_PATH, "bench_bare", bare)


def bench_app(database_url: str, secret_key: str | None = None) -> Flask:
    """The app as in production, on ``database_url``, with the bare route and without rate limits; lists show
    BENCH_PER_PAGE rows a page (the issue's investor list of 50 rows)."""
    from crm import create_app

    app = create_app("production", {"SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url),
                                    "SECRET_KEY": secret_key or secrets.token_hex(32), "RATELIMIT_ENABLED": False,
                                    "PER_PAGE": BENCH_PER_PAGE})
    add_bare_route(app)
    return app


def wsgi_app() -> Flask:
    """gunicorn's entry point for ``--http`` (``crm.bench:wsgi_app()``); the settings come from the environment."""
    return bench_app(os.environ["CRM_BENCH_DATABASE_URL"], os.environ["CRM_BENCH_SECRET_KEY"])


@dataclass
class PageFigures:
    name: str
    path: str
    public: bool = False  # opened as an outside reader, not signed in (the share page)
    statements: int = 0
    objects: int = 0
    bytes: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    ratio: float = 0.0  # median / the bare route's median
    http_rps: float | None = None
    http_share: float | None = None  # of the bare route's requests per second
    http_error: str | None = None  # what went wrong under load, when something did
    samples_ms: list[float] = field(default_factory=list, repr=False)


def run_bench(database_url: str | None, scale: float = 1.0, rounds: int = 7, use_http: bool = False,
              http_seconds: float = 3.0, json_path: str | None = None, echo: Callable[[str], None] = print) -> dict:
    """Build, load, measure and report; return the figures (also written to ``json_path``)."""
    rounds = max(5, rounds)
    folder = None
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="crm-bench-")
        database_url = "sqlite:///" + os.path.join(folder, "bench.sqlite3")
    try:
        return _run(database_url, scale, rounds, use_http, http_seconds, json_path, echo)
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _run(database_url, scale, rounds, use_http, http_seconds, json_path, echo) -> dict:
    from flask_migrate import upgrade

    from crm.demo_large import seed_large

    secret_key = secrets.token_hex(32)
    app = bench_app(database_url, secret_key)
    with app.app_context():
        if sa.inspect(db.engine).get_table_names():
            raise BenchError("The database is not empty; the benchmark needs a new, empty one.")
        started = time.perf_counter()
        upgrade()
        built = seed_large(scale)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("ANALYZE"))  # as autovacuum would have by now
        load_seconds = time.perf_counter() - started
        facts = _machine_facts(load_seconds, scale, built.counts)
        db.session.remove()
    echo(f"{facts['database']} {facts['database_version']}, {facts['cpu_count']} cores, load average "
         f"{facts['load_average_before']}; data loaded in {load_seconds:.1f} s")
    pages = _pages(built)
    staff, reader = app.test_client(), app.test_client()
    _sign_in(staff, built.admin_email, built.password)
    clients = {False: staff, True: reader}
    with app.app_context():
        engine = db.engine
    _count(engine, clients, pages)  # outside an app context: each request gets its own, as in production
    _time_in_process(clients, pages, rounds)
    echo("In-process:")
    _print({"pages": [asdict(page) for page in pages], "machine": None}, echo)
    if use_http:
        _time_http(database_url, secret_key, built, pages, http_seconds)
    facts["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    result = {"machine": facts, "rounds": rounds, "repeat": REPEAT,
              "pages": [{k: v for k, v in asdict(page).items() if k != "samples_ms"} for page in pages]}
    _print(result, echo)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as out:
            json.dump(result, out, indent=1, ensure_ascii=False)
            out.write("\n")
        echo(f"Written to {json_path}")
    with app.app_context():
        db.engine.dispose()
    return result


def _machine_facts(load_seconds: float, scale: float, counts: dict) -> dict:
    dialect = db.engine.dialect.name
    version = db.session.scalar(sa.text("SELECT sqlite_version()" if dialect == "sqlite" else "SHOW server_version"))
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "database": dialect,
            "database_version": version, "cpu_count": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version(), "load_average_before": [round(x, 2) for x in os.getloadavg()],
            "scale": scale, "load_seconds": round(load_seconds, 1), "rows": counts}


def _pages(built) -> list[PageFigures]:
    return [PageFigures(BARE, BARE_PATH),
            PageFigures("dashboard", "/"),
            PageFigures("pipeline", "/deals/"),
            PageFigures("investor list", "/investors/"),
            PageFigures("investor list, search", "/investors/?" + urlencode({"q": SEARCH})),
            PageFigures("investor detail", f"/investors/{built.investor_id}"),
            PageFigures("startup detail", f"/startups/{built.startup_id}"),
            PageFigures("meeting list", "/meetings/"),
            PageFigures("share page", f"/s/{built.share_token}", public=True)]


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or \
        re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    if not found:
        raise BenchError("The sign-in page has no CSRF token.")
    return found.group(1)


def _sign_in(client, email: str, password: str) -> None:
    token = _csrf(client.get("/auth/login").get_data(as_text=True))
    response = client.post("/auth/login", data={"email": email, "password": password, "csrf_token": token})
    if response.status_code != 302:
        raise BenchError("Signing in to the benchmark's app failed.")


def _count(engine: sa.Engine, clients: dict, pages: list[PageFigures]) -> None:
    """Statements and ORM objects of one warm request to each page."""
    for page in pages:  # warm up: templates compiled, caches filled
        _get(clients[page.public], page.path)
    counter = {"statements": 0, "objects": 0}

    def statement(*args):
        counter["statements"] += 1

    def loaded(*args):
        counter["objects"] += 1

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(db.Model, "load", loaded, propagate=True)
    try:
        for page in pages:
            counter.update(statements=0, objects=0)
            page.bytes = len(_get(clients[page.public], page.path))
            page.statements, page.objects = counter["statements"], counter["objects"]
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(db.Model, "load", loaded)


def _get(client, path: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200:
        raise BenchError(f"{path} answered {response.status_code}.")
    return response.get_data()


def _time_in_process(clients: dict, pages: list[PageFigures], rounds: int) -> None:
    repeat = {}
    for page in pages:  # a page slower than SLOW seconds is timed once per round, to keep the run bounded
        started = time.perf_counter()
        _get(clients[page.public], page.path)
        repeat[page.name] = REPEAT if time.perf_counter() - started < SLOW else 1
    for number in range(rounds):
        for page in (pages if number % 2 == 0 else list(reversed(pages))):
            for _ in range(repeat[page.name]):
                started = time.perf_counter()
                _get(clients[page.public], page.path)
                page.samples_ms.append((time.perf_counter() - started) * 1000)
    bare = statistics.median(pages[0].samples_ms)
    for page in pages:
        page.median_ms = round(statistics.median(page.samples_ms), 2)
        page.p95_ms = round(statistics.quantiles(page.samples_ms, n=20, method="inclusive")[18], 2)
        page.ratio = round(statistics.median(page.samples_ms) / bare, 1)


# --- HTTP ----------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Http:
    """Plain HTTP/1.1 requests to 127.0.0.1 with one session cookie (gunicorn's sync workers close each connection)."""

    def __init__(self, port: int):
        self.port, self.cookie = port, ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for value in response.headers.get_all("Set-Cookie") or []:
                if value.startswith("session="):
                    self.cookie = value.split(";", 1)[0]
            return response.status, response.headers.get("Location", ""), data
        finally:
            conn.close()

    def sign_in(self, email: str, password: str) -> None:
        status, _, page = self.request("GET", "/auth/login")
        body = urlencode({"email": email, "password": password, "csrf_token": _csrf(page.decode())})
        status, _, _ = self.request("POST", "/auth/login", body)
        if status != 302:
            raise BenchError("Signing in to gunicorn failed.")


def _time_http(database_url: str, secret_key: str, built, pages: list[PageFigures], seconds: float) -> None:
    port = _free_port()
    env = dict(os.environ, CRM_BENCH_DATABASE_URL=database_url, CRM_BENCH_SECRET_KEY=secret_key)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         "crm.bench:wsgi_app()"], env=env, cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    try:
        client = _Http(port)
        deadline = time.monotonic() + 60
        while True:
            try:
                if client.request("GET", BARE_PATH)[0] == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise BenchError("gunicorn did not start.")
            time.sleep(0.2)
        client.sign_in(built.admin_email, built.password)
        for page in pages:  # warm up both workers
            for _ in range(4):
                client.request("GET", page.path)
        rates: dict[str, list[float]] = {page.name: [] for page in pages}
        for number in range(HTTP_ROUNDS):
            for page in (pages if number % 2 == 0 else list(reversed(pages))):
                if page.http_error:
                    continue
                try:
                    rates[page.name].append(_load(port, "" if page.public else client.cookie, page.path, seconds))
                except BenchError as error:  # reported beside the figures; gunicorn replaces a lost worker
                    page.http_error = str(error)
                    time.sleep(2)
        if not rates[BARE]:
            raise BenchError(f"The bare route failed under load: {pages[0].http_error}")
        bare = statistics.mean(rates[BARE])
        for page in pages:
            if rates[page.name] and not page.http_error:
                page.http_rps = round(statistics.mean(rates[page.name]), 1)
                page.http_share = round(100 * page.http_rps / bare, 1)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _load(port: int, cookie: str, path: str, seconds: float) -> float:
    """Requests per second that HTTP_CLIENTS threads get answered (200) in ``seconds``."""
    done = [0] * HTTP_CLIENTS
    failed = []
    stop = time.monotonic() + seconds

    def work(slot: int):
        client = _Http(port)
        client.cookie = cookie
        while time.monotonic() < stop:
            try:
                status = client.request("GET", path)[0]
            except OSError as error:  # a time-out: the server is stuck
                failed.append(repr(error))
                return
            if status != 200:
                failed.append(status)
                return
            done[slot] += 1

    started = time.monotonic()
    threads = [threading.Thread(target=work, args=(slot,)) for slot in range(HTTP_CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failed:
        raise BenchError(f"{path} answered {failed[0]} under load.")
    return sum(done) / (time.monotonic() - started)


def _print(result: dict, echo: Callable[[str], None]) -> None:
    http = any(page["http_rps"] is not None or page["http_error"] for page in result["pages"])
    head = f"{'page':<24}{'statements':>11}{'objects':>9}{'median ms':>11}{'p95 ms':>9}{'× bare':>8}"
    echo(head + (f"{'req/s':>9}{'% of bare':>11}" if http else ""))
    for page in result["pages"]:
        line = (f"{page['name']:<24}{page['statements']:>11}{page['objects']:>9}{page['median_ms']:>11.2f}"
                f"{page['p95_ms']:>9.2f}{page['ratio']:>8.1f}")
        if http and page["http_error"]:
            line += f"  failed: {page['http_error']}"
        elif http:
            line += f"{page['http_rps']:>9.1f}{page['http_share']:>10.1f}%"
        echo(line)
    machine = result["machine"]
    if machine is None:
        return
    echo(f"{machine['database']} {machine['database_version']}, {machine['cpu_count']} cores, load average "
         f"before {machine['load_average_before']} after {machine['load_average_after']}")
