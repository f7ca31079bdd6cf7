"""One settings module, driven by the environment.

Every value a deployment may change is read here through the small helpers below,
which fail loudly on a value they cannot read rather than guessing.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from kb import variants as _variants

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Core
DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG=0")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

if "PYTEST_VERSION" in os.environ and not os.environ.get("KB_DATA_DIR"):
    # A test run never touches ./var: pytest-django reads settings before any conftest runs,
    # so the throw-away data dir is chosen here (and inherited by servers the tests start).
    os.environ["KB_DATA_DIR"] = tempfile.mkdtemp(prefix="kb-test-")
DATA_DIR = Path(env_str("KB_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)

INSTALLED_APPS = [
    "articles.apps.EditorsAdminConfig",  # django.contrib.admin with the second-factor site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "haystack",
    "reversion",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "kb",
    "articles",
]

MIDDLEWARE = [
    "kb.middleware.RealIPMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kb.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "kb.cache.ContentVersionMiddleware",
    "kb.middleware.CacheHeadersMiddleware",
    "kb.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kb.variant_redirect.VariantRedirectMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kb.urls"
WSGI_APPLICATION = "kb.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'kb.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several editors and workers writing at once: WAL lets readers go on during a write, and
    # IMMEDIATE takes the write lock when a transaction begins, so a save that reads then writes
    # waits its turn (up to the timeout) instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("KB_SQLITE_TIMEOUT", 20),  # seconds; sqlite3's busy_timeout
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language: the site is Chinese; variants are scripts, negotiated by Django itself.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [(code, _variants.VARIANTS[code].label) for code in _variants.SERVED]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("KB_STATIC_ROOT", str(BASE_DIR / "staticfiles")))

# Search
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "articles.search.backend.ChineseWhooshEngine",
        "PATH": str(DATA_DIR / "whoosh_index"),
        # update_index/rebuild_index hand the backend this many articles per commit; a
        # large batch is written by KB_SEARCH_BUILD_PROCS processes.
        "BATCH_SIZE": env_int("KB_SEARCH_BATCH_SIZE", 5000),
    },
}
HAYSTACK_SIGNAL_PROCESSOR = "articles.search.signals.ArticleSignalProcessor"
KB_SEARCH_MAX_QUERY_LENGTH = env_int("KB_SEARCH_MAX_QUERY_LENGTH", 100)
KB_SEARCH_PAGE_SIZE = env_int("KB_SEARCH_PAGE_SIZE", 10)
KB_SEARCH_MAX_PAGES = env_int("KB_SEARCH_MAX_PAGES", 50)
KB_SEARCH_LOCK_TIMEOUT = env_int("KB_SEARCH_LOCK_TIMEOUT", 10)  # seconds an editor's save waits
KB_SEARCH_RETRY_SECONDS = env_int("KB_SEARCH_RETRY_SECONDS", 2)  # first retry after a busy index
KB_SEARCH_BACKLOG_SECONDS = env_int("KB_SEARCH_BACKLOG_SECONDS", 300)  # /healthz: degraded after
KB_SEARCH_BUILD_LOCK_TIMEOUT = env_int("KB_SEARCH_BUILD_LOCK_TIMEOUT", 600)
KB_SEARCH_BUILD_PROCS = env_int("KB_SEARCH_BUILD_PROCS", min(2, os.cpu_count() or 1))
KB_SEARCH_BUILD_LIMITMB = env_int("KB_SEARCH_BUILD_LIMITMB", 1024)  # per writer process
KB_SEARCH_BULK_THRESHOLD = env_int("KB_SEARCH_BULK_THRESHOLD", 500)  # articles per batch
KB_SEARCH_POSTINGS_CACHE_MB = env_int("KB_SEARCH_POSTINGS_CACHE_MB", 64)  # per process
KB_SEARCH_SHOWN_CACHE_MB = env_int("KB_SEARCH_SHOWN_CACHE_MB", 32)  # per process: results' texts

# Limits: what one article may hold, enforced alike by the admin and the importer, so no
# article can make a page or a search do unbounded work. The demo articles' longest section
# is about 600 characters and the longest has 8 sections.
KB_MAX_SECTION_CHARS = env_int("KB_MAX_SECTION_CHARS", 10_000)
KB_MAX_SECTIONS = env_int("KB_MAX_SECTIONS", 40)
KB_MAX_ARTICLE_CHARS = env_int("KB_MAX_ARTICLE_CHARS", 60_000)  # all sections together

# Import
KB_IMPORT_MAX_BYTES = env_int("KB_IMPORT_MAX_BYTES", 2 * 1024 * 1024)

# Feedback: per client (salted hash of REMOTE_ADDR, counted by kb/ratelimit.py), at most this
# many an hour, and one per article in this many seconds.
KB_FEEDBACK_PER_HOUR = env_int("KB_FEEDBACK_PER_HOUR", 5)
KB_FEEDBACK_ARTICLE_SECONDS = env_int("KB_FEEDBACK_ARTICLE_SECONDS", 600)
# Searches that found nothing are logged for editors: at most this many per client an hour, and
# no new query once the log holds this many rows (those already in it are still counted).
KB_SEARCH_MISSES_PER_HOUR = env_int("KB_SEARCH_MISSES_PER_HOUR", 20)
KB_SEARCH_MISSES_MAX_ROWS = env_int("KB_SEARCH_MISSES_MAX_ROWS", 5000)
# Readers' reports of numbers that called them: at most this many per client a day, and none
# taken while this many wait for an editor.
KB_NUMBER_REPORTS_PER_DAY = env_int("KB_NUMBER_REPORTS_PER_DAY", 10)
KB_NUMBER_REPORTS_MAX_PENDING = env_int("KB_NUMBER_REPORTS_MAX_PENDING", 2000)

# Security: production (DEBUG off) assumes HTTPS. KB_INSECURE_HTTP=1 is the explicit opt-out for
# plain HTTP on loopback (make serve, load tests); KB_BEHIND_PROXY=1 says a reverse proxy sets
# X-Forwarded-Proto and X-Real-IP (and overwrites whatever the client sent in them).
KB_INSECURE_HTTP = env_bool("KB_INSECURE_HTTP", False)
KB_BEHIND_PROXY = env_bool("KB_BEHIND_PROXY", False)
_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
if KB_INSECURE_HTTP and not DEBUG and not set(ALLOWED_HOSTS) <= _LOOPBACK_HOSTS:
    raise ImproperlyConfigured(
        "KB_INSECURE_HTTP=1 serves plain HTTP and is only allowed when DJANGO_ALLOWED_HOSTS "
        "names loopback addresses (127.0.0.1, localhost, [::1])"
    )
HTTPS_ONLY = not DEBUG and not KB_INSECURE_HTTP
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # local monitoring may probe over plain HTTP
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
# One year, every subdomain, and the preload token: the site is HTTPS-only by design. Submitting
# the domain to the browsers' preload list stays a manual step. Opting out of a token here is an
# explicit decision, so its deploy-check warning is silenced with it.
SECURE_HSTS_SECONDS = env_int("KB_HSTS_SECONDS", 31536000) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KB_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("KB_HSTS_PRELOAD", True)
SILENCED_SYSTEM_CHECKS = [
    check
    for check, opted_out in (
        ("security.W005", not SECURE_HSTS_INCLUDE_SUBDOMAINS),
        ("security.W021", not SECURE_HSTS_PRELOAD),
    )
    if opted_out
]
if KB_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # a borrower's reading stays private to this site
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("KB_SESSION_HOURS", 12) * 3600  # an editor's working day
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token in a hidden field
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Admin article forms with their inline sections stay far below both limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("KB_MAX_POST_BYTES", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Content-Security-Policy (django-csp 4): nothing inline, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "upgrade-insecure-requests": HTTPS_ONLY,
    },
}
# Admin login (kb/auth.py): 5 failures for one username from one address pause that pair for
# 30 minutes; 20 for one username from all addresses together pause the account for 15 minutes.
AUTHENTICATION_BACKENDS = [
    "kb.auth.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
KB_LOGIN_FAILURE_LIMIT = env_int("KB_LOGIN_FAILURE_LIMIT", 5)
KB_LOGIN_ACCOUNT_FAILURE_LIMIT = env_int("KB_LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
KB_LOGIN_ACCOUNT_LOCKOUT_MINUTES = env_int("KB_LOGIN_ACCOUNT_LOCKOUT_MINUTES", 15)
AXES_HANDLER = "kb.auth.AccountLockoutHandler"
AXES_FAILURE_LIMIT = KB_LOGIN_ACCOUNT_FAILURE_LIMIT  # the handler scales the per-address count
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KB_LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]  # what a successful login resets
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a pause ends on time
AXES_LOCKOUT_CALLABLE = "kb.auth.lockout_response"
AXES_SENSITIVE_PARAMETERS = ["password"]
AXES_DISABLE_ACCESS_LOG = True  # articles.signins keeps the login record, for a bounded time
KB_LOGIN_RECORD_DAYS = env_int("KB_LOGIN_RECORD_DAYS", 90)
# Second factor (django-otp): TOTP apps and one-time recovery codes, see articles/second_factor.py.
OTP_TOTP_ISSUER = "催收电话知识库"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Production: static files hashed and compressed by whitenoise once collectstatic has written its
# manifest (make serve runs it); until then, and in development, plain names served straight
# from the app directories, so tests never need collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "kb.storage.StaticStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "staticfiles.json").exists()
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing one
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server must fail fast into the 503 page, not hang a worker.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5)
    )
KB_RETRY_AFTER_SECONDS = env_int("KB_RETRY_AFTER_SECONDS", 60)

# Search scale-out: the same SearchIndex classes on Elasticsearch 7, Chinese analysis in the
# engine (docs/deployment.md, docs/elasticsearch/).
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")
if ELASTICSEARCH_URL:
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "kb.elasticsearch_engine.ChineseElasticsearchEngine",
            "URL": ELASTICSEARCH_URL,
            "INDEX_NAME": env_str("ELASTICSEARCH_INDEX", "kb_articles"),
            "TIMEOUT": env_int("ELASTICSEARCH_TIMEOUT", 10),
        },
    }

# Cache: Redis when REDIS_URL is set (shared by every worker and server), else per-process memory.
# kb/cache.py caches rendered fragments under a content version that every edit bumps; whole
# pages are cached in front of the site, validated by ETags made from that version. Rate
# limits (kb/ratelimit.py) count in Redis too; without it (or while it is down) in
# DATA_DIR/ratelimit.sqlite3, which every worker of the host shares.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, but an unreachable Redis means "not cached", never a 500.
            "BACKEND": "kb.redis_cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kb",
            "OPTIONS": {
                "socket_connect_timeout": env_int("KB_REDIS_TIMEOUT", 1),
                "socket_timeout": env_int("KB_REDIS_TIMEOUT", 1),
            },
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
KB_CACHE_SECONDS = env_int("KB_CACHE_SECONDS", 600)
# Whole public pages are cached in front of the site (a CDN, nginx; kb/middleware.py): seconds
# browsers and shared caches keep one before revalidating it (a cheap 304), and how long a
# shared cache may serve it stale while it revalidates.
KB_PAGE_MAX_AGE = env_int("KB_PAGE_MAX_AGE", 0)
KB_PAGE_SHARED_MAX_AGE = env_int("KB_PAGE_SHARED_MAX_AGE", 60)
KB_PAGE_STALE_SECONDS = env_int("KB_PAGE_STALE_SECONDS", 300)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
}
