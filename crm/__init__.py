"""The CRM application factory."""
import os

from flask import Flask
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

import config as settings
from crm.common.web import MAX_RECORD_ID
from crm.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    """Build the app: ``config_name`` is development, production or testing (default: CRM_ENV)."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(__name__, template_folder=os.path.join(root, "templates"), instance_relative_config=True)
    config_name = config_name or os.environ.get("CRM_ENV", "development")
    app.config.from_object(settings.CONFIGS[config_name])
    if overrides:
        app.config.update(overrides)
    _check_config(app)
    if app.config["PROXY_HOPS"]:
        # Behind a reverse proxy: trust its X-Forwarded-For/-Proto for the client address
        # (rate limits) and for HTTPS (Secure cookies, HSTS).
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    register_extensions(app)
    register_blueprints(app)
    register_template_helpers(app)
    from crm.errors import register_error_handlers
    register_error_handlers(app)
    from crm.cli import register_commands
    register_commands(app)
    return app


def _check_config(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError("SECRET_KEY must be set in production (see README: Configuration).")
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "crm.sqlite3")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # The pages' statements are short: PostgreSQL's JIT compiler costs more than it saves on them (it took
        # 300 ms of a 520 ms dashboard statement), so the app's connections run without it.
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {"options": "-c jit=off", **options.get("connect_args", {})}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def register_extensions(app: Flask) -> None:
    from crm import models  # noqa: F401  (the models must be known to Flask-Migrate)
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
                     render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    from crm.common import encoding
    encoding.register(app)  # before CSRF protection, which reads the form
    csrf.init_app(app)
    from crm.common.language import select_locale
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)
    import crm.audit.recorder  # noqa: F401  (registers the audit log's session hooks)
    from crm.public.session import ShareSafeSessionInterface
    app.session_interface = ShareSafeSessionInterface()
    from crm.auth.access import enforce_access, load_user
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"
    login_manager.login_message = _l("Sign in to see this page.")
    app.before_request(enforce_access)


class RecordIdConverter(IntegerConverter):
    """``<int:...>`` in routes: an id no database integer can hold is no record (404), not an overflow (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_RECORD_ID)
        super().__init__(map, *args, **kwargs)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = RecordIdConverter  # before the rules that use it are added
    from crm.auth.views import bp as auth_bp
    from crm.contacts.views import bp as contacts_bp
    from crm.dashboard.views import bp as dashboard_bp
    from crm.deals.views import bp as deals_bp
    from crm.investors.views import bp as investors_bp
    from crm.meetings.views import bp as meetings_bp
    from crm.public.views import bp as public_bp
    from crm.sharing.views import bp as sharing_bp
    from crm.rates.views import bp as rates_bp
    from crm.startups.views import bp as startups_bp
    from crm.users.views import bp as users_bp
    from crm.trash.views import bp as trash_bp
    from crm.audit.views import bp as audit_bp
    from crm.calendar.views import bp as calendar_bp
    from crm.events.views import bp as events_bp
    from crm.followups.views import bp as followups_bp
    from crm.matching.views import bp as matching_bp
    from crm.timeline.views import bp as timeline_bp
    from crm.exports.views import bp as exports_bp
    from crm.imports.views import bp as imports_bp
    from crm.merge.views import bp as merge_bp
    from crm.api.views import bp as api_bp
    from crm.api.account import bp as tokens_bp
    from crm.search.views import bp as search_bp

    for blueprint in (dashboard_bp, auth_bp, investors_bp, contacts_bp, startups_bp, meetings_bp, deals_bp, rates_bp,
                      users_bp, trash_bp, audit_bp, sharing_bp, public_bp, followups_bp, timeline_bp, calendar_bp,
                      events_bp, matching_bp, exports_bp, imports_bp, merge_bp, api_bp, tokens_bp, search_bp):
        app.register_blueprint(blueprint)


def register_template_helpers(app: Flask) -> None:
    from crm.audit.labels import field_label
    from crm.common import formatting, headers
    formatting.register(app)
    headers.register(app)
    app.add_template_filter(field_label)
