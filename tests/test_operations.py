"""Operations: the health endpoint, JSON logs, production settings that build without secrets, the
master-key command compose names (every documented variable taking effect: tests/test_configuration.py)."""
import json
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.core.management import call_command

from core.logging import JsonFormatter

ROOT = Path(__file__).resolve().parent.parent
health_db = pytest.mark.django_db


@health_db
def test_health_is_ok_when_everything_answers(client):
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok" and set(body["checks"]) == {"database", "broker", "storage"}


@health_db
@pytest.mark.parametrize("broken", ["database", "broker", "storage"])
def test_health_names_what_is_down(client, broken):
    down = mock.Mock(side_effect=ConnectionError(f"{broken} unreachable"))
    with mock.patch.dict("core.health.CHECKS", {broken: down}):
        response = client.get("/health/")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"][broken]["status"] == "error" and "unreachable" in body["checks"][broken]["error"]
    assert all(check["status"] == "ok" for name, check in body["checks"].items() if name != broken)


@health_db
def test_health_reports_a_real_dead_broker(client):
    from celery import current_app

    real = current_app.connection_for_write
    with mock.patch.object(current_app, "connection_for_write", lambda: real(url="redis://127.0.0.1:1/0")):
        response = client.get("/health/")
    assert response.status_code == 503 and response.json()["checks"]["broker"]["status"] == "error"


def test_json_log_lines():
    record = logging.makeLogRecord({"name": "visage.test", "levelname": "WARNING", "levelno": 30,
                                    "msg": "photo %s failed", "args": (7,), "event_id": 3})
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "photo 7 failed" and line["level"] == "WARNING" and line["event_id"] == 3


def test_generate_master_key_command(capsys):
    call_command("generate_master_key", "--id", "k1")
    key_id, encoded = capsys.readouterr().out.strip().split(":")
    assert key_id == "k1" and len(encoded) == 44


def _production(code: str, **env) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("VISAGE_", "DJANGO_"))}
    environment.update(DJANGO_SETTINGS_MODULE="visage.settings.production", DJANGO_SECRET_KEY="x" * 50, **env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=120)


def test_production_collectstatic_needs_no_master_keys_but_checks_do(tmp_path):
    manage = "import sys, django.core.management as m; m.execute_from_command_line(['manage.py', *sys.argv[1:]])"
    built = _production(manage.replace("sys.argv[1:]", "['collectstatic', '--noinput', '--dry-run']"))
    assert built.returncode == 0, built.stderr[-2000:]
    unchecked = _production(manage.replace("sys.argv[1:]", "['check']"))
    assert unchecked.returncode != 0 and "visage.E001" in unchecked.stderr
    keyed = _production(manage.replace("sys.argv[1:]", "['check']"), VISAGE_MASTER_KEYS="k1:" + "A" * 43 + "=")
    assert keyed.returncode == 0, keyed.stderr[-2000:]


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose (Debian) not installed")
def test_compose_file_validates():
    env = {**os.environ, "DJANGO_SECRET_KEY": "x", "VISAGE_MASTER_KEYS": "k1:x"}
    result = subprocess.run(["docker-compose", "-f", "docker/compose.yml", "config", "-q"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_the_embedded_default_keeps_event_keys_as_files_outside_the_database(tmp_path):
    """make run's settings: a copy of its database alone decrypts no embedding (before: keys in the database)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("VISAGE_", "DJANGO_"))}
    environment.update(DJANGO_SETTINGS_MODULE="visage.settings.local", VISAGE_VAR_DIR=str(tmp_path / "var"))
    environment.pop("DATABASE_URL", None)
    shown = subprocess.run([sys.executable, "-c", (
        "import django, json; django.setup(); from recognition.services.keys import key_store; "
        "store = key_store(); print(json.dumps([type(store).__name__, str(getattr(store, 'directory', ''))]))")],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert shown.returncode == 0, shown.stderr[-2000:]
    kind, directory = json.loads(shown.stdout.strip().splitlines()[-1])
    assert kind == "DirectoryKeyStore" and Path(directory) == tmp_path / "var" / "event_keys"


def test_compose_keeps_event_keys_on_their_own_volume():
    compose = yaml.safe_load((ROOT / "docker" / "compose.yml").read_text())
    directory = compose["x-visage-env"]["VISAGE_KEY_STORE_DIR"]
    runs_app_code = ["web", "worker", "notices", "beat", "gpu-worker"]
    for name in runs_app_code:
        assert f"eventkeys:{directory}" in compose["services"][name].get("volumes", []), name
    assert "eventkeys" in compose["volumes"] and "eventkeys" not in str(compose["services"]["postgres"])
