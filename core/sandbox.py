"""Run one decode in a child process with hard limits on its CPU time and its memory.

A header says how big an image is, not how long its decoder will run or every buffer a codec
allocates; the child is the bound that holds whatever the bytes do. Children fork from
multiprocessing's fork server (a small single-threaded process with Pillow and numpy loaded),
never from the threaded web or worker process itself: ~10 ms a decode (docs/image-limits.md).
CPU: an ITIMER_PROF timer whose default action ends the process at the limit (RLIMIT_CPU,
whole seconds, as a backstop). Memory: RLIMIT_AS, the child's size at start plus the budget.
Pure Python: no Django, no app.
"""
import ctypes
import math
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import types
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from typing import Any, Callable

# Modules the fork server imports once, so that each child starts with them loaded.
PRELOAD = ["numpy", "PIL.Image", "PIL.JpegImagePlugin", "PIL.PngImagePlugin", "PIL.TiffImagePlugin",
           "PIL.WebPImagePlugin", "pillow_heif", "core.heif", "core.images", "core.image_work"]
# Wall-clock patience: a child on a loaded machine gets this many times its CPU limit, plus slack.
_WALL_FACTOR, _WALL_SLACK_S = 4, 10.0
# glibc's mallopt parameters (malloc.h).
_M_MMAP_THRESHOLD, _M_ARENA_MAX = -3, -8


class LimitExceeded(Exception):
    """The work passed a limit and was stopped; `kind` is "cpu" or "memory"."""

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


@dataclass
class Usage:
    """What this process's children have spent, all together: for measurements and benchmarks."""

    children: int = 0
    cpu_seconds: float = 0.0
    peak_growth_bytes: int = 0  # the largest peak RSS one child reached above its size at start


_usage, _usage_lock = Usage(), threading.Lock()


def take_usage() -> Usage:
    """What children spent since the last call (measurements: one case at a time)."""
    global _usage
    with _usage_lock:
        spent, _usage = _usage, Usage()
    return spent


@dataclass
class Limits:
    """What a chain of decodes (one request's or one photo's) may spend together."""

    cpu_seconds: float
    memory_bytes: int
    spent_cpu_seconds: float = 0.0

    @property
    def cpu_left(self) -> float:
        return self.cpu_seconds - self.spent_cpu_seconds


def run_limited(function: Callable[..., Any], *args: Any, limits: Limits, memory_bytes: int | None = None) -> Any:
    """`function(*args)` in a child under `limits` (the child's memory: `memory_bytes` when the
    caller keeps part of the budget): its result, its own exception re-raised, or LimitExceeded.
    `function` must be importable by name (module level) and its result picklable."""
    if limits.cpu_left <= 0:
        raise LimitExceeded("cpu", f"the image took more than {limits.cpu_seconds:g} s of CPU to decode")
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child, args=(sender, function, args, limits.cpu_left,
                                                   limits.memory_bytes if memory_bytes is None else memory_bytes),
                            daemon=True)
    _start(child)
    sender.close()
    try:
        outcome = _receive(receiver, timeout=limits.cpu_left * _WALL_FACTOR + _WALL_SLACK_S)
    finally:
        receiver.close()
        child.join(timeout=1.0)
        if child.is_alive():
            child.kill()
            child.join()
    if outcome is None:  # ended by its CPU timer (SIGPROF/SIGXCPU) or past the wall-clock patience
        _account(limits.cpu_left, 0)
        limits.spent_cpu_seconds = limits.cpu_seconds
        raise LimitExceeded("cpu", f"the image took more than {limits.cpu_seconds:g} s of CPU to decode")
    status, value, cpu_seconds, growth = outcome
    _account(cpu_seconds, growth)
    limits.spent_cpu_seconds += cpu_seconds
    if status == "memory":
        raise LimitExceeded("memory", f"the image needed more than {limits.memory_bytes // 2**20:,} MB of memory "
                                      "to decode")
    if status == "error":
        raise value
    return value


_start_lock = threading.Lock()
_NO_MAIN = types.ModuleType("__main__")


def _start(child) -> None:
    """Celery's prefork pool (billiard) records its workers as daemonic in multiprocessing's own
    bookkeeping, and multiprocessing then refuses to start any child ("daemonic processes are not
    allowed to have children": every photo failed in a real Celery worker). The rule guards against
    children orphaned when a daemon exits; ours are joined before run_limited returns, so the
    flag is lifted for the start only."""
    config = multiprocessing.current_process()._config
    with _start_lock:
        saved = {name: config[name] for name in ("daemon", "authkey") if name in config}
        config.pop("daemon", None)
        # billiard's own AuthenticationString, which multiprocessing refuses to pickle for the fork
        # server: the same bytes as multiprocessing's type, for the start only.
        config["authkey"] = multiprocessing.process.AuthenticationString(bytes(saved["authkey"]))
        child.authkey = bytes(saved["authkey"])  # its record was copied from this one
        # multiprocessing re-runs the main module in every child (a script's top level: seconds per
        # decode under a benchmark script); the work is importable by name, so no main is carried.
        main, sys.modules["__main__"] = sys.modules["__main__"], _NO_MAIN
        try:
            child.start()
        finally:
            sys.modules["__main__"] = main
            config.update(saved)


def _account(cpu_seconds: float, growth: int) -> None:
    with _usage_lock:  # the global is rebound only under this lock
        _usage.children += 1
        _usage.cpu_seconds += cpu_seconds
        _usage.peak_growth_bytes = max(_usage.peak_growth_bytes, growth)


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _forget_fork_server() -> None:
    """In a process forked from one that had started the fork server (gunicorn --preload, Celery's
    prefork pool, a measuring harness): CPython's ForkServer would waitpid() a server that is not
    this process's child and fail every decode with ECHILD, so this process starts its own."""
    server = forkserver._forkserver
    server._forkserver_pid = server._forkserver_address = server._forkserver_alive_fd = None


os.register_at_fork(after_in_child=_forget_fork_server)


def _receive(receiver: Connection, *, timeout: float):
    """The child's (status, value, cpu seconds), or None when it died or ran out of time."""
    try:
        if receiver.poll(timeout):
            status, value = pickle.loads(receiver.recv_bytes())
            cpu_seconds, growth = receiver.recv()
            return status, value, cpu_seconds, growth
    except (EOFError, OSError):
        pass
    return None


def _child(sender: Connection, function: Callable[..., Any], args: tuple, cpu_seconds: float, memory_bytes: int
           ) -> None:
    start_rss = _status_bytes("VmRSS:")
    signal.signal(signal.SIGPROF, signal.SIG_DFL)  # the default action ends the process
    signal.setitimer(signal.ITIMER_PROF, max(cpu_seconds, 0.001))
    whole = math.ceil(cpu_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (whole, whole + 1))
    _steady_malloc()
    resource.setrlimit(resource.RLIMIT_AS, (_address_space() + memory_bytes, resource.RLIM_INFINITY))
    try:
        outcome = ("ok", function(*args))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it in the caller
        outcome = ("error", exc)
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:  # the result itself did not fit the budget
        payload = pickle.dumps(("memory", None))
    spent = resource.getrusage(resource.RUSAGE_SELF)
    sender.send_bytes(payload)
    sender.send((spent.ru_utime + spent.ru_stime, _status_bytes("VmHWM:") - start_rss))


def _steady_malloc() -> None:
    """Make the memory limit monotonic. glibc raises its mmap threshold after a large block is
    freed (then serves the next ones from a fragmented heap) and gives each decoder thread an arena
    of 64 MiB of address space: under RLIMIT_AS a 12 MP HEIC decoded with 110-130 MiB and failed
    with 140-160 (MemoryError in Pillow, or a C++ exception in libheif's threads). A fixed 128 KiB
    threshold (big blocks mmapped and unmapped on free) and one arena: it decodes at every limit
    from 120 MiB up (docs/image-limits.md)."""
    libc = ctypes.CDLL(None)
    if hasattr(libc, "mallopt"):  # glibc; other C libraries keep their own behaviour
        libc.mallopt(_M_MMAP_THRESHOLD, 128 * 1024)
        libc.mallopt(_M_ARENA_MAX, 1)


def _status_bytes(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field)) * 1024


def _address_space() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()
