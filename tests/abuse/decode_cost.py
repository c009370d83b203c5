"""Measure decode paths on files, each in a fresh process: CPU seconds and peak resident memory,
of that process and of the decode's child (core.sandbox).

    echo '["selfie", "FILE", 60]' | python -m tests.abuse.decode_cost   # one JSON result a line
    cd OLDER_TREE && echo ... | python /path/to/tests/abuse/decode_cost.py # the same on older code

selfie: the guest endpoint's steps (header check, then every decode under the selfie's limits);
upload: events.inspection.inspect_photo on the spooled file; worker: the ingest decode under the
upload budget; plain: Pillow alone, as the code did before any guard (open, draft, load, RGB).
This process sets Django (and torch) up once and decodes a small real photo on every path (fork
server, plugins), then forks a child per file: the numbers are the file's own cost. Peak memory:
/proc/self/clear_refs resets VmHWM in the child, then VmHWM - VmRSS.
"""
import contextlib
import io
import json
import os
import resource
import signal
import sys
import time

from pathlib import Path

sandbox = None  # core.sandbox where the measured tree has it (serve)
PATHS = ("selfie", "upload", "worker", "plain")
# A real portrait (see /work/shared/data/README.md): the warm-up decode, and the hostile files' source.
PORTRAIT = Path("/work/shared/data/faces/portraits/obama.jpg")

WORK_LONG_SIDE = 1600


def _kib(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))


def _cpu() -> float:
    spent = resource.getrusage(resource.RUSAGE_SELF)
    return spent.ru_utime + spent.ru_stime


estimate = [0]  # the worker path's decode_plan: what the budget counts for this file


def _runner(path: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from events.inspection import inspect_photo
    from recognition.ml.detector import detection_plan
    from recognition.ml.images import decode

    try:
        from recognition.ml.images import decode_limits, decode_plan
    except ImportError:  # before the guard: no limits, no estimate
        decode_limits, decode_plan = (lambda **limits: contextlib.nullcontext()), None
    from recognition.ml.pipeline import MIN_FACE_PX
    from sharing import conf
    from sharing.services.guests import _selfie_header_check

    def work_side(size):  # what FacePipeline.prepare asks of decode, without loading the models
        return max(WORK_LONG_SIDE, detection_plan(size, min_face_px=MIN_FACE_PX)[0])

    def selfie(data: bytes, name: str):
        upload = SimpleUploadedFile(name, data)
        _selfie_header_check(upload)
        cpu_seconds = getattr(conf, "selfie_decode_cpu_seconds", lambda: None)()  # None: a tree before the guard
        with decode_limits(cpu_seconds=cpu_seconds, memory_bytes=conf.selfie_decode_budget_bytes()):
            return decode(upload.read(), long_side=work_side).image.size

    def upload(data: bytes, name: str):
        with open(name, "rb") as spooled:  # a file on disk, as Django spools uploads over 2 MB
            return inspect_photo(spooled, len(data)).content_type

    def worker(data: bytes, name: str):
        if decode_plan is not None:
            estimate[0] = decode_plan(data, long_side=work_side).cost_bytes
        return decode(data, long_side=work_side).image.size

    def plain(data: bytes, name: str):
        from PIL import Image

        image = Image.open(io.BytesIO(data))
        if image.format == "JPEG":
            image.draft("RGB", (WORK_LONG_SIDE, WORK_LONG_SIDE))
        image.load()
        return image.convert("RGB").size

    return {"selfie": selfie, "upload": upload, "worker": worker, "plain": plain}[path]


def measure(run, file: str) -> dict:
    with open(file, "rb") as handle:
        data = handle.read()
    estimate[0] = 0
    if sandbox is not None:
        sandbox.take_usage()
    cpu, rss = _cpu(), _kib("VmRSS:")
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    try:
        outcome = {"accepted": True, "result": repr(run(data, file))}
    except Exception as exc:  # noqa: BLE001 - a refusal is an outcome to report
        outcome = {"accepted": False, "error": type(exc).__name__, "message": f"{exc} {getattr(exc, 'details', None) or ''}"[:400]}  # the guest's words, the reason
    children = sandbox.take_usage() if sandbox is not None else None
    return {**outcome, "cpu_s": round(_cpu() - cpu, 3), "peak_mib": round((_kib("VmHWM:") - rss) / 1024, 1),
            "children": children.children if children else 0,
            "child_cpu_s": round(children.cpu_seconds, 3) if children else 0.0,
            "child_peak_mib": round(children.peak_growth_bytes / 2**20, 1) if children else 0.0,
            "estimate_mib": round(estimate[0] / 2**20, 1)}


def _in_fork(action, *, timeout: float) -> dict:
    """action() in a child forked from this process: fresh memory and CPU counters, a deadline."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _own_fork_server()
        os.write(write_end, json.dumps(action()).encode())
        os._exit(0)
    os.close(write_end)
    deadline = time.monotonic() + timeout
    while os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_end)
            return {"timed_out": True}
        time.sleep(0.02)
    with os.fdopen(read_end, "rb") as result:
        return json.loads(result.read() or b'{"crashed": true}')


def _own_fork_server() -> None:
    """A forked child starts its own fork server (core.sandbox): here, outside the measurement,
    as a web process that has served requests already has one."""
    if sandbox is None:
        return
    sandbox.run_limited(len, b"", limits=sandbox.Limits(cpu_seconds=5, memory_bytes=2**26))


def serve() -> None:
    """One JSON line [path, file, timeout_s] in, one JSON result out, until stdin ends. Every path
    is warmed up first (plugins, the fork server), then each file is measured in a fresh fork."""
    global sandbox
    try:
        from core import sandbox
    except ImportError:  # a tree from before the guard
        pass
    runners = {path: _runner(path) for path in PATHS}
    for run in runners.values():
        run(PORTRAIT.read_bytes(), str(PORTRAIT))
    for line in sys.stdin:
        path, file, timeout = json.loads(line)
        print(json.dumps(_in_fork(lambda: measure(runners[path], file), timeout=timeout)), flush=True)


def main() -> None:
    sys.path[0] = os.getcwd()  # the tree to measure is the working directory, wherever this file is
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.test")
    import django

    django.setup()
    serve()


if __name__ == "__main__":
    main()
