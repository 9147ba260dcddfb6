"""Test settings: the real settings module, with the secrets a test run may not have."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# The test client and live server speak plain HTTP; the redirect itself is tested on its own.
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from archive.settings import *  # noqa: F403

# Tests render templates without running collectstatic first.
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# No collectstatic in tests: whitenoise serves from the finders instead of STATIC_ROOT.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# On PostgreSQL the tests create and drop a database of their own, named after DATABASE_URL's
# ("verbatim" gives "verbatim_pytest"), never Django's default "test_verbatim" that a
# `manage.py test` or another checkout might hold. Under pytest-xdist each worker adds its id
# ("verbatim_pytest_gw0", ...).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"{DATABASES['default']['NAME']}_pytest"}  # noqa: F405
# A replica alias for the router's tests (tests/test_replicas.py): a test mirror of default.
# The router only uses it where a test lists it in DATABASE_REPLICAS.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
# Pages are measured uncached (their query counts are the real bounds); the caching tests
# switch a real cache on where they need one (tests/test_speed_cache.py).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
