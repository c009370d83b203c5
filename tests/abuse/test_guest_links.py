"""Guest links: a session secret works only on its own link; pages carry a strict CSP with no
inline code; the embedded default never signs with a key from the repository.

Before: no Content-Security-Policy or Permissions-Policy header and an inline script on the
selfie page; the embedded default's SECRET_KEY was in the repository, so anyone could sign an
album link for another studio's person.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings as django_settings
from django.core import signing

from sharing.authentication import SESSION_HEADER
from sharing.models import GuestSession
from tests.abuse.conftest import assert_error, guest_client, make_link

REPO = Path(__file__).resolve().parents[2]
OLD_REPOSITORY_KEY = "insecure-local-development-key-change-me"


def session_on(link) -> str:
    response = guest_client().post(f"/api/v1/guest/{link.token}/session", {"consent": True}, format="json")
    assert response.status_code == 201
    return response.json()["session"]


def test_a_session_secret_opens_only_its_own_link(event):
    mine, other = make_link(event, scope="event"), make_link(event, scope="event")
    secret = session_on(mine)
    stranger = guest_client("198.51.100.77")
    assert stranger.get(f"/api/v1/guest/{mine.token}/photos", HTTP_X_GUEST_SESSION=secret).status_code == 200
    refused = stranger.get(f"/api/v1/guest/{other.token}/photos", HTTP_X_GUEST_SESSION=secret)
    assert_error(refused, 403, "session_required")
    stranger.cookies[f"visage_guest_{other.link.id}"] = secret
    assert stranger.get(f"/api/v1/guest/{other.token}/photos").status_code == 403
    # What is stored is bound to the link too: the same secret hashes differently on another link.
    stored = GuestSession.objects.get(link=mine.link).secret_hash
    assert stored != __import__("hashlib").sha256(secret.encode()).hexdigest()
    assert SESSION_HEADER == "X-Guest-Session"


def test_pages_carry_a_strict_csp_and_permissions_policy(event, client):
    link = make_link(event)
    for url in ("/login/", "/s/", f"/s/{link.token}"):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert "camera=()" in response["Permissions-Policy"]


def test_no_template_has_inline_script_or_style():
    for template in (REPO / "templates").rglob("*.html"):
        text = template.read_text()
        inline_scripts = [tag for tag in re.findall(r"<script[^>]*>", text) if "src=" not in tag]
        assert not inline_scripts, f"{template}: inline <script>"
        assert not re.search(r"\sstyle=\"|<style|\son[a-z]+=\"", text), f"{template}: inline style or handler"


def test_the_embedded_default_makes_its_own_secret_key(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "visage.settings.local", "VISAGE_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SECRET_KEY", None)
    run = lambda: subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code],  # noqa: E731
                                 cwd=REPO, env=env, capture_output=True, text=True, check=True).stdout.strip()
    first, second = run(), run()
    assert first == second == (tmp_path / "secret_key").read_text().strip()  # kept across restarts
    assert len(first) >= 50 and first != OLD_REPOSITORY_KEY
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_an_album_link_signed_with_the_old_repository_key_is_refused(db, client):
    forged = signing.dumps({"person": 1, "event": 1}, key=OLD_REPOSITORY_KEY, salt="visage.album-link", compress=True)
    assert django_settings.SECRET_KEY != OLD_REPOSITORY_KEY
    assert client.get(f"/api/v1/albums/{forged}/download.zip").status_code == 404


def test_with_s3_the_csp_admits_presigned_images_from_the_object_store():
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'])")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "visage.settings.test", "VISAGE_STORAGE": "s3",
           "AWS_S3_ENDPOINT_URL": "https://objects.example:9000/bucket"}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert "'https://objects.example:9000'" in out.stdout and "'unsafe-inline'" not in out.stdout
