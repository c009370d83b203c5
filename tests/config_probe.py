"""Run by tests/test_configuration.py as a subprocess: for each probe read from stdin (JSON list of
{"env": {...}, "exprs": [...]}), a fresh child process with that environment loads Django
(DJANGO_SETTINGS_MODULE=visage.settings.test unless the probe says otherwise, django.setup()) and
evaluates each expression: the value the code uses. Prints one JSON list of results.

This parent imports only third-party libraries (never a project module: settings load in each
child), then forks a child per probe, which keeps ~100 fresh Django start-ups near a minute.
"""
import importlib
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # the project, as with `python -c`

# Imported before forking, none of them reading Django's settings: each child only loads the project.
import boto3  # noqa: E402,F401
import celery  # noqa: E402,F401
import django  # noqa: E402
import django.db.models  # noqa: E402,F401
import numpy  # noqa: E402,F401
import onnx  # noqa: E402,F401
import PIL.Image  # noqa: E402,F401
import pydantic_settings  # noqa: E402,F401
import torch  # noqa: E402,F401

PARALLEL = max(2, os.cpu_count() or 2)


def child(env: dict, exprs: list[str], out: int) -> None:
    try:
        os.environ.update(env)
        django.setup()
        from django.conf import settings

        namespace = {"s": settings, "imp": importlib.import_module, "sys": sys}
        values = [eval(expr, namespace) for expr in exprs]  # noqa: S307 - the test's own expressions
        payload = {"values": json.loads(json.dumps(values, default=repr))}
    except BaseException:  # noqa: BLE001 - reported to the test, which names the variable
        payload = {"error": traceback.format_exc()[-3000:]}
    os.write(out, json.dumps(payload).encode())
    os._exit(0)


def run(probe: dict) -> tuple[int, int]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        child(probe["env"], probe["exprs"], write)
    os.close(write)
    return pid, read


def collect(pid: int, read: int) -> dict:
    chunks = []
    while chunk := os.read(read, 65536):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return json.loads(b"".join(chunks) or b'{"error": "the child died without an answer"}')


def main() -> None:
    probes = json.load(sys.stdin)
    results: list[dict | None] = [None] * len(probes)
    running: list[tuple[int, int, int]] = []
    for index, probe in enumerate(probes):
        if len(running) >= PARALLEL:
            done_index, pid, read = running.pop(0)
            results[done_index] = collect(pid, read)
        running.append((index, *run(probe)))
    for done_index, pid, read in running:
        results[done_index] = collect(pid, read)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
