"""Settings, read only from the environment (the env file the deployment writes).

Nothing secret lives in this file: the secret key must come from
DJANGO_SECRET_KEY, and the app refuses to start without it rather than run
with a made-up one. Nginx terminates TLS, serves the collected static files
and passes the rest to uWSGI, so the proxy-related settings below assume it.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# The directory holding manage.py.
BASE_DIR = Path(__file__).resolve().parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated variable as a list; unset or empty means the default."""
    return [item.strip() for item in (os.environ.get(name) or default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set or empty: put a long random value in the app's environment file."
    )

DEBUG = os.environ.get("DJANGO_DEBUG", "").strip().lower() in ("1", "true")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
# Only needed when the browser's origin differs from the Host Nginx passes on.
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "djdemo.urls"
WSGI_APPLICATION = "djdemo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "djdemo" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# One SQLite file; its directory must exist and be writable by the service user.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DJANGO_DB_PATH") or BASE_DIR / "db.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# collectstatic copies the admin's files here and Nginx serves them at STATIC_URL.
STATIC_URL = os.environ.get("DJANGO_STATIC_URL") or "/static/"
STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "collected-static"

# Behind Nginx: it terminates TLS and sets X-Forwarded-Proto itself (overwriting
# any value the client sent), so Django may trust that header to know the request
# was HTTPS. The Host header is the one Nginx passes; X-Forwarded-Host is ignored.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = False
# Cookies only travel over HTTPS, except when debugging over plain HTTP.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# Nginx redirects HTTP to HTTPS and sends HSTS, so Django does not do it twice.
SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008"]

# Warnings and errors (with tracebacks) go to stderr, which uWSGI logs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django": {"handlers": ["console"], "level": "WARNING", "propagate": False}},
}
