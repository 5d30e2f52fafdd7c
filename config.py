"""Configuration classes: every secret comes from the environment."""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("MITI_INSTANCE_PATH", BASE_DIR / "instance"))


def _env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Route plain PostgreSQL URLs through psycopg 3, the driver we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def engine_options(url: str) -> dict:
    """Engine settings: stale pooled connections (a restarted server) are tested and replaced
    before use; PostgreSQL gives up connecting after DATABASE_CONNECT_TIMEOUT seconds."""
    options: dict = {"pool_pre_ping": True}
    if url.startswith("postgresql"):
        timeout = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))
        options["connect_args"] = {"connect_timeout": timeout}
    return options


def _server_base_url() -> str | None:
    """SERVER_BASE_URL from the environment, read when a configuration is built."""
    return os.environ.get("SERVER_BASE_URL", "").strip() or None


def _development_base_url() -> str:
    """The address `flask run` serves on: PORT as `make run` passes it (FLASK_RUN_PORT when
    flask run is called directly), so links in development mail open this server."""
    port = os.environ.get("PORT") or os.environ.get("FLASK_RUN_PORT") or "5000"
    return f"http://127.0.0.1:{port}"


def _require_base_url(value: str | None) -> str:
    """Production's SERVER_BASE_URL: set, absolute, http(s)."""
    if not value:
        raise RuntimeError(
            "SERVER_BASE_URL must be set in production: the address people open, e.g. "
            "https://training.miti.example (links in emails are built from it)."
        )
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RuntimeError(
            f"SERVER_BASE_URL must be an absolute http(s) address such as "
            f"https://training.miti.example, not {value!r}."
        )
    return value


def _development_secret() -> str:
    """Generate a development secret once into instance/, never committed."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'miti.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    #: Seconds a client is asked to wait (Retry-After) when the database cannot be reached.
    DATABASE_RETRY_AFTER = int(os.environ.get("DATABASE_RETRY_AFTER", "30"))
    #: Absolute base URL for links in emails; never taken from the request's Host header.
    #: Set by each environment: required in production, derived from PORT in development.
    SERVER_BASE_URL: str | None = None
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "MITI Training <no-reply@miti.example>"
    )
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    #: "outbox" records mail to MAIL_OUTBOX_DIR and the log; "smtp" sends it.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR", str(INSTANCE_DIR / "outbox"))
    #: Seconds an SMTP connection may take to answer before the attempt counts as failed.
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))
    #: Failed deliveries are retried after MAIL_RETRY_SECONDS, doubling up to
    #: MAIL_RETRY_MAX_SECONDS, MAIL_MAX_ATTEMPTS times in all (about nine hours by default).
    MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "30"))
    MAIL_RETRY_MAX_SECONDS = int(os.environ.get("MAIL_RETRY_MAX_SECONDS", "3600"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "15"))
    #: How long a sender holds a claimed message; far above MAIL_TIMEOUT, so a claim lapses
    #: only when its sender died.
    MAIL_CLAIM_SECONDS = int(os.environ.get("MAIL_CLAIM_SECONDS", "300"))
    #: How often `flask worker` looks for mail that is due (Redis down, a retry, a lapsed claim).
    MAIL_SWEEP_SECONDS = float(os.environ.get("MAIL_SWEEP_SECONDS", "10"))
    #: Sent messages are deleted from the outbox after this many days.
    MAIL_KEEP_SENT_DAYS = int(os.environ.get("MAIL_KEEP_SENT_DAYS", "7"))
    CONFIRM_TOKEN_MAX_AGE = 3 * 24 * 3600
    #: Days a nomination's invitation link works after it was sent (at least 1), never past
    #: the close of the programme's nomination window (nominations/invitations.py).
    NOMINATION_INVITATION_DAYS = int(os.environ.get("NOMINATION_INVITATION_DAYS", "30"))
    RESET_TOKEN_MAX_AGE = 3600
    PAGE_SIZE = 20
    #: Photo albums (albums/images.py, docs/albums.md): each uploaded file at most
    #: PHOTO_MAX_BYTES, its canvas at most PHOTO_MAX_PIXELS and PHOTO_MAX_SIDE a side (a
    #: decompression bomb declares far more); PHOTO_MAX_FILES per upload, PHOTO_MAX_PER_ALBUM
    #: per session. Renditions: PHOTO_WEB_SIZE and PHOTO_THUMB_SIZE pixels on the long side.
    PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", str(10 * 2**20)))
    PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", str(40_000_000)))
    PHOTO_MAX_SIDE = int(os.environ.get("PHOTO_MAX_SIDE", "12000"))
    PHOTO_MAX_FILES = int(os.environ.get("PHOTO_MAX_FILES", "8"))
    PHOTO_MAX_PER_ALBUM = int(os.environ.get("PHOTO_MAX_PER_ALBUM", "200"))
    PHOTO_WEB_SIZE = int(os.environ.get("PHOTO_WEB_SIZE", "1600"))
    PHOTO_THUMB_SIZE = int(os.environ.get("PHOTO_THUMB_SIZE", "400"))
    #: Seconds any cache may keep a public photo before asking again (its ETag answers 304):
    #: short, so a photo staff hide is gone from shared caches soon after.
    PHOTO_CACHE_SECONDS = int(os.environ.get("PHOTO_CACHE_SECONDS", "600"))
    #: Bytes of anonymous public pages each process keeps, keyed by their validator
    #: (web/http_cache.py); 0 turns the keeping off.
    PUBLIC_PAGE_CACHE_BYTES = int(os.environ.get("PUBLIC_PAGE_CACHE_BYTES", str(32 * 2**20)))
    #: Seconds a process answers public pages from the freshness it last read, at most
    #: (web/freshness_cache.py): a change made by another process shows within that time.
    #: 0 reads it before every page.
    PUBLIC_FRESHNESS_SECONDS = float(os.environ.get("PUBLIC_FRESHNESS_SECONDS", "1"))
    REDIS_URL = os.environ.get("REDIS_URL")
    #: Rate-limit counters: Redis when configured (shared by every process), else memory.
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    #: Seconds a Redis command (rate limits, the mail queue) may take before Redis counts as down.
    REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "0.5"))
    RATELIMIT_STORAGE_OPTIONS = {
        "socket_connect_timeout": REDIS_TIMEOUT,
        "socket_timeout": REDIS_TIMEOUT,
    }
    #: Redis down: each process counts in memory until Redis answers again (docs/security.md,
    #: item 26); an error of the counters themselves never fails a request.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    #: Off: X-RateLimit-* on every answer cost a storage read each; a 429 still carries
    #: Retry-After (web/limits.py).
    RATELIMIT_HEADERS_ENABLED = False
    RATELIMIT_ENABLED = True
    #: Proxies in front of the app whose X-Forwarded-For/-Proto may be trusted (0: none).
    TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
    #: "json": one JSON object per log line (production's default); "text" otherwise.
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    #: A log line per request: request id, user id, route, status, duration.
    LOG_REQUESTS = _env_bool("LOG_REQUESTS")
    #: Bearer token that /metrics asks for; without one, /metrics does not exist (404).
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN")
    # Rate limits (Flask-Limiter syntax), each read by web.limits at every request.
    #: Login attempts per client address, whatever the address typed.
    LOGIN_RATE_LIMIT = "20 per minute; 200 per hour"
    #: Failed logins per (address typed, client). A window of a minute at most: a stranger at
    #: the owner's client address cannot keep the owner out for longer.
    LOGIN_CLIENT_FAILURE_LIMIT = "5 per minute"
    #: Failed logins per address typed (known or not), from browsers that never logged in to
    #: the account; a browser holding its known-device cookie is not counted nor stopped.
    #: A window of a minute at most, like the one above.
    LOGIN_ACCOUNT_FAILURE_LIMIT = "10 per minute"
    #: How long a browser stays known to the account it logged in to (seconds).
    KNOWN_DEVICE_MAX_AGE = 180 * 24 * 3600
    #: Wrong current passwords per logged-in account on the email change, password change and
    #: account deletion forms.
    LOGIN_FAILURE_LIMIT = "5 per 15 minutes; 20 per day"
    #: Sign-ups per client address.
    SIGNUP_RATE_LIMIT = "10 per hour"
    #: Sign-up mails per address typed (the link, or the notice to an existing account).
    SIGNUP_PER_EMAIL_LIMIT = "3 per hour"
    #: Password reset requests per client address.
    RESET_RATE_LIMIT = "10 per hour"
    #: Password reset requests per (address typed, client).
    RESET_CLIENT_LIMIT = "3 per hour"
    #: Reset mails per address, whoever asks. Past it the form answers as usual and sends
    #: nothing; its window must not outlast RESET_TOKEN_MAX_AGE, so the owner still holds a
    #: working link.
    RESET_MAIL_LIMIT = "5 per hour"
    #: Email change requests per account (each mails two addresses).
    EMAIL_CHANGE_RATE_LIMIT = "5 per hour"
    #: Registrations and calendar-link changes per account (anti-automation).
    REGISTRATION_RATE_LIMIT = "20 per minute; 200 per hour"
    #: Self check-in attempts per account (stops guessing codes).
    CHECK_IN_RATE_LIMIT = "10 per minute; 60 per hour"
    #: Certificate code lookups per client address (stops enumerating codes).
    CERTIFICATE_LOOKUP_RATE_LIMIT = "30 per minute; 300 per hour"
    #: Messages a coordinator sends to participants, per account (previews are not counted).
    MESSAGE_RATE_LIMIT = "10 per hour"
    #: Downloads per account: attendee lists (CSV and XLSX together) and dashboard tables.
    EXPORT_RATE_LIMIT = "30 per minute"
    #: Requests to the public API per client address.
    API_RATE_LIMIT = "120 per minute; 3000 per hour"


class DevelopmentConfig(Config):
    """Local development: SQLite in instance/, mail recorded to the outbox."""

    ENV_NAME = "development"
    DEBUG = True

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            self.SECRET_KEY = _development_secret()
        self.SERVER_BASE_URL = _server_base_url() or _development_base_url()


class TestingConfig(Config):
    """Tests: a throwaway database chosen by the fixtures, CSRF off unless a test turns it on."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-only-not-secret"  # noqa: S105
    WTF_CSRF_ENABLED = False
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SQLALCHEMY_ENGINE_OPTIONS = engine_options(SQLALCHEMY_DATABASE_URI)
    MAIL_BACKEND = "memory"
    SERVER_BASE_URL = "http://testserver.example"
    #: Limits stay on (the code path is exercised): the account forms' are loose (their own
    #: tests tighten them), the others keep their defaults.
    RATELIMIT_STORAGE_URI = "memory://"
    LOGIN_RATE_LIMIT = "10000 per minute"
    LOGIN_CLIENT_FAILURE_LIMIT = "10000 per minute"
    LOGIN_ACCOUNT_FAILURE_LIMIT = "10000 per minute"
    LOGIN_FAILURE_LIMIT = "10000 per minute"
    SIGNUP_RATE_LIMIT = "10000 per minute"
    SIGNUP_PER_EMAIL_LIMIT = "10000 per minute"
    RESET_RATE_LIMIT = "10000 per minute"
    RESET_CLIENT_LIMIT = "10000 per minute"
    RESET_MAIL_LIMIT = "10000 per minute"
    API_RATE_LIMIT = "10000 per minute"


class ProductionConfig(Config):
    """Production: secure cookies, real SMTP, refuses to start with unsafe settings."""

    ENV_NAME = "production"
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")
    #: Off only for a rehearsal on plain HTTP (bench/cluster.sh); browsers need it on HTTPS.
    SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = _env_bool("COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
    LOG_REQUESTS = _env_bool("LOG_REQUESTS", True)

    def __init__(self) -> None:
        if not self.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production.")
        if self.SQLALCHEMY_DATABASE_URI.startswith("sqlite") and not _env_bool(
            "ALLOW_SQLITE_IN_PRODUCTION"
        ):
            raise RuntimeError(
                "Production needs DATABASE_URL pointing at PostgreSQL "
                "(set ALLOW_SQLITE_IN_PRODUCTION=1 to override)."
            )
        self.SERVER_BASE_URL = _require_base_url(_server_base_url())


#: Rate limits (Flask-Limiter syntax) a deployment may set from the environment, e.g. a load
#: test from one address; the defaults are in Config.
RATE_LIMIT_SETTINGS = (
    "LOGIN_RATE_LIMIT",
    "LOGIN_CLIENT_FAILURE_LIMIT",
    "LOGIN_ACCOUNT_FAILURE_LIMIT",
    "LOGIN_FAILURE_LIMIT",
    "SIGNUP_RATE_LIMIT",
    "SIGNUP_PER_EMAIL_LIMIT",
    "RESET_RATE_LIMIT",
    "RESET_CLIENT_LIMIT",
    "RESET_MAIL_LIMIT",
    "EMAIL_CHANGE_RATE_LIMIT",
    "REGISTRATION_RATE_LIMIT",
    "CHECK_IN_RATE_LIMIT",
    "CERTIFICATE_LOOKUP_RATE_LIMIT",
    "MESSAGE_RATE_LIMIT",
    "EXPORT_RATE_LIMIT",
    "API_RATE_LIMIT",
)

CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> Config:
    """Instantiate the configuration named by the argument or MITI_ENV."""
    name = name or os.environ.get("MITI_ENV", "development")
    try:
        config = CONFIGS[name]()
    except KeyError:
        raise RuntimeError(f"Unknown MITI_ENV {name!r}; use one of {sorted(CONFIGS)}.") from None
    if name != "testing":
        for key in RATE_LIMIT_SETTINGS:
            if os.environ.get(key):
                setattr(config, key, os.environ[key])
    return config
