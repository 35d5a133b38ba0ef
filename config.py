"""Settings read from the environment; every variable is listed in the README."""
import os


def normalize_database_url(url: str | None) -> str | None:
    """Return the URL with the psycopg 3 driver named for PostgreSQL."""
    # Plain postgresql:// URLs would select psycopg2; the project ships psycopg 3.
    if url and url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = normalize_database_url(os.environ.get("DATABASE_URL"))  # None: a SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    PER_PAGE = _int("CRM_PER_PAGE", 25)
    PIPELINE_CARDS = _int("CRM_PIPELINE_CARDS", 12)  # cards per column on the pipeline board
    MAX_CONTENT_LENGTH = _int("CRM_MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    DISPLAY_TIMEZONE = os.environ.get("CRM_TIMEZONE", "Europe/Oslo")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_TRANSLATION_DIRECTORIES = "translations"  # relative to the crm package: crm/translations
    BABEL_DEFAULT_TIMEZONE = DISPLAY_TIMEZONE
    BOOTSTRAP_SERVE_LOCAL = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("CRM_SECURE_COOKIES", "0") == "1"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # Rate-limit counters: in memory per process by default; with several workers use a
    # shared store such as redis://127.0.0.1:6379/0 so that the limits hold across them.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    PROXY_HOPS = _int("CRM_PROXY_HOPS", 0)
    IDLE_TIMEOUT_MINUTES = _int("CRM_IDLE_TIMEOUT_MINUTES", 60)
    REAUTH_MINUTES = _int("CRM_REAUTH_MINUTES", 5)
    LOGIN_LIMIT_PER_ADDRESS = os.environ.get("CRM_LOGIN_LIMIT_PER_ADDRESS", "20 per minute;100 per hour")
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("CRM_LOGIN_LIMIT_PER_ACCOUNT", "5 per minute;30 per hour")
    RETENTION_MONTHS = _int("CRM_RETENTION_MONTHS", 24)
    # Requests to share pages (/s/<token>) per network address, so that tokens cannot be guessed by brute force.
    SHARE_RATE_LIMIT = os.environ.get("CRM_SHARE_RATE_LIMIT", "60 per minute")
    # Whom the reader of a share link is told to contact when the manager who made the link is gone.
    CLUSTER_NAME = os.environ.get("CRM_CLUSTER_NAME", "The incubator team")
    CLUSTER_EMAIL = os.environ.get("CRM_CLUSTER_EMAIL")
    # Spreadsheet imports: the largest upload (forms keep MAX_CONTENT_LENGTH), the most rows a file may have,
    # and how long one request of the preview checks rows before it shows the progress page again.
    IMPORT_MAX_BYTES = _int("CRM_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
    IMPORT_MAX_ROWS = _int("CRM_IMPORT_MAX_ROWS", 25000)
    IMPORT_STEP_SECONDS = _int("CRM_IMPORT_STEP_SECONDS", 10)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    PRODUCTION = False


class DevConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key")


class ProductionConfig(Config):
    PRODUCTION = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    # None: conftest creates a SQLite file per test session
    SQLALCHEMY_DATABASE_URI = normalize_database_url(os.environ.get("TEST_DATABASE_URL"))
    PER_PAGE = 10
    PIPELINE_CARDS = 5
    RATELIMIT_ENABLED = False  # tests that check a limit build an app with it on
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing keeps the suite quick; never in production


CONFIGS = {"development": DevConfig, "production": ProductionConfig, "testing": TestConfig}
