"""Secure by default: headers, HTTPS, cookies, the admin's door, and Django's deploy checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def production_environment(**extra):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="archive.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="verbatim.example",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/verbatim",
    )
    environment.update(extra)
    return environment


def test_the_deploy_checklist_reports_nothing_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("url", ["/", "/statements/", "/officials/", "/api/v1/statements/"])
def test_every_response_carries_the_security_headers(client, seeded, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_public_templates_carry_no_inline_script(client, seeded):
    for url in ["/", "/statements/", "/statements/1/", "/officials/sergei-lavrov/"]:
        page = client.get(url, follow=True).content.decode()
        for chunk in page.split("<script")[1:]:
            tag = chunk.split(">", 1)[0]
            assert "src=" in tag or 'type="application/ld+json"' in tag, f"{url}: {tag}"


def test_hsts_is_sent_over_https(client):
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https(client):
    response = client.get("/statements/?q=assad")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/statements/?q=assad"


def settings_as_deployed(**env):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, getattr(s, 'SECURE_PROXY_SSL_HEADER', None), "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.CSRF_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.ADMIN_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_redirects_to_https_with_secure_cookies_by_default():
    assert settings_as_deployed() == "True None True True True True Lax admin/"


def test_the_redirect_can_be_turned_off_for_a_tls_proxy_or_loopback():
    assert settings_as_deployed(DJANGO_SECURE_SSL_REDIRECT="0").startswith("False None True")


def test_forwarded_proto_is_trusted_only_when_the_deployment_says_so():
    assert "('HTTP_X_FORWARDED_PROTO', 'https')" in settings_as_deployed(
        DJANGO_BEHIND_TLS_PROXY="1"
    )
    assert " None " in settings_as_deployed()


def test_the_admin_prefix_is_configurable():
    code = (
        "import django; django.setup(); from django.urls import reverse, resolve, Resolver404; "
        "print(reverse('admin:index'));\n"
        "try:\n    resolve('/admin/'); print('old prefix still served')\n"
        "except Resolver404:\n    print('old prefix gone')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_environment(DJANGO_ADMIN_URL="/curation-7f3a/"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["/curation-7f3a/", "old", "prefix", "gone"], result.stderr


def test_repeated_failed_logins_lock_the_account_out(client):
    User.objects.create_user("ana", password="correct horse battery", is_staff=True)
    login = reverse("admin:login")
    for _ in range(5):
        response = client.post(login, {"username": "ana", "password": "wrong"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # Even the right password is refused while the lockout lasts.
    response = client.post(login, {"username": "ana", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_resets_the_count(client):
    User.objects.create_user("ana", password="correct horse battery", is_staff=True)
    login = reverse("admin:login")
    for _ in range(3):
        client.post(login, {"username": "ana", "password": "wrong"})
    response = client.post(login, {"username": "ana", "password": "correct horse battery"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


def test_session_and_csrf_cookies_are_httponly_and_samesite(client, superuser):
    response = client.post(reverse("admin:login"), {"username": "root", "password": "pw-for-tests"})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
