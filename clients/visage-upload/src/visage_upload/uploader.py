"""Send one settled file, exactly once: the state file, the Idempotency-Key and retries with backoff.

Order of events for a file (a crash at any point is safe):
1. hash it; if the state says this event already has these bytes (or refused them), stop;
2. record "sending" with a fresh Idempotency-Key and save the state;
3. POST it, again and again through network drops, 5xx, 429 and server restarts (jittered
   exponential backoff, capped; Retry-After honoured), with the same key, so that a retry after a
   lost answer gets the first answer replayed instead of storing a second photo;
4. record the server's answer (created, duplicate, rejected) and save the state.
A rerun after a crash between 2 and 4 sends the same key again. Behind all of it, the server keeps
one photo per SHA-256 per event (a second copy is answered `duplicate`), so a new key — needed
when the server died holding the first request (`409 request_in_progress` for up to 10 minutes) —
is safe too.
"""
from __future__ import annotations

import random
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from visage_upload.api import TryAgain, UploadResult, VisageApi
from visage_upload.files import fingerprint
from visage_upload.state import FINAL, State

# A 409 request_in_progress for this long means the first request's server process died with it.
KEY_BUSY_ROTATE_S = 20.0


class GiveUp(Exception):
    """The server has not answered for longer than the run's patience (push only)."""


class Backoff:
    """Full-jitter exponential backoff: 1 s, 2 s, 4 s … up to `cap`, each time a random 50–100 % of
    it, so that many clients coming back after an outage do not all retry in the same second."""

    def __init__(self, *, first: float = 1.0, cap: float = 60.0):
        self.first, self.cap, self.failures = first, cap, 0

    def next_delay(self, retry_after: float | None = None) -> float:
        ceiling = min(self.cap, self.first * 2 ** self.failures)
        self.failures += 1
        delay = ceiling * random.uniform(0.5, 1.0)
        return max(delay, retry_after) if retry_after is not None else delay

    def reset(self) -> None:
        self.failures = 0


@dataclass
class Tally:
    uploaded: int = 0
    duplicate: int = 0
    already_sent: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    unsent: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{self.uploaded} uploaded, {self.duplicate} already in the event, {self.already_sent} sent before, "
                f"{len(self.rejected)} rejected, {len(self.unsent)} not sent")


class Output:
    """Lines for people (per file, to stdout; problems to stderr) around one progress bar of bytes."""

    def __init__(self, *, progress: bool | None):
        # progress None: a bar only when stderr is a terminal (tqdm's rule), so logs stay clean.
        self.bar = tqdm(total=0, unit="B", unit_scale=True, unit_divisor=1024, dynamic_ncols=True, leave=False,
                        disable=None if progress is None else not progress)

    def info(self, line: str) -> None:
        tqdm.write(line, file=sys.stdout)
        sys.stdout.flush()

    def warn(self, line: str) -> None:
        tqdm.write(line, file=sys.stderr)

    def close(self) -> None:
        self.bar.close()


class Uploader:
    def __init__(self, *, api: VisageApi, event_id: int, root: Path, state: State, output: Output,
                 patience: float | None, retry_rejected: bool = False, backoff: Backoff | None = None):
        self.api, self.event_id, self.root, self.state, self.out = api, event_id, root, state, output
        self.target = state.target(api.base_url, event_id)
        self.patience, self.retry_rejected = patience, retry_rejected
        self.backoff = backoff or Backoff()
        self.tally = Tally()
        self._failing_since: float | None = None
        self._handled: dict[str, tuple[int, int]] = {}  # relpath → (size, mtime) dealt with in this run
        self._expected: dict[str, int] = {}  # relpath → bytes counted in the bar's total ahead of sending

    def expect(self, paths: list[Path]) -> None:
        """Count these files' bytes in the progress bar's total now (push knows its whole batch), except
        those the state already has as sent or refused (known by path, size and time: no hashing)."""
        for path in paths:
            relpath = path.relative_to(self.root).as_posix()
            try:
                stat = path.stat()
            except OSError:
                continue
            sha256 = self.state.known_hash(relpath, stat.st_size, stat.st_mtime_ns)
            if relpath not in self._expected and (self.target.get(sha256 or "", {}).get("status") not in FINAL):
                self._expected[relpath] = stat.st_size
                self.out.bar.total += stat.st_size

    def handle(self, path: Path) -> bool:
        """Send `path` unless this event has its bytes already. False if the file changed meanwhile
        (look at it again once it settles). Raises Fatal (key, scope, event) or GiveUp."""
        relpath = path.relative_to(self.root).as_posix()
        try:
            stat = path.stat()
        except FileNotFoundError:
            return True  # gone before it could be sent: nothing to do
        if self._handled.get(relpath) == (stat.st_size, stat.st_mtime_ns):
            return True  # a rescan's sighting of a file this run has dealt with already
        done = self._handle(path, relpath, stat)
        if done:
            self._handled[relpath] = (stat.st_size, stat.st_mtime_ns)
        return done

    def _handle(self, path: Path, relpath: str, stat) -> bool:
        try:
            sha256 = self.state.known_hash(relpath, stat.st_size, stat.st_mtime_ns)
            if sha256 is None:
                found = fingerprint(path)
                if found is None:
                    return False
                sha256 = found.sha256
                self.state.remember_hash(relpath, found.size, found.mtime_ns, sha256)
        except FileNotFoundError:
            return True  # gone before it could be sent: nothing to do
        entry = self.target.get(sha256)
        expected = self._expected.pop(relpath, 0)
        if entry and entry["status"] in FINAL and not (self.retry_rejected and entry["status"] == "rejected"):
            self.out.bar.total -= expected
            self._seen_before(relpath, entry)
            return True
        key = entry["idempotency_key"] if entry and entry["status"] == "sending" else _new_key()
        self._record(sha256, status="sending", path=relpath, idempotency_key=key, size=stat.st_size)
        self.out.bar.total += stat.st_size - expected
        self.out.bar.set_postfix_str(relpath, refresh=False)
        try:
            result = self._send(path, relpath, sha256, key)
        except FileNotFoundError:
            return True
        if result.sha256 and result.sha256 != sha256:  # rewritten while it was being sent
            self.target.pop(sha256, None)
            self._record(result.sha256, status=result.status, path=relpath, photo_id=result.photo_id,
                         reason=result.reason, idempotency_key=None)
            self.out.warn(f"changed    {relpath}: it was rewritten while being sent; sending it again once it settles")
            return False
        self._record(sha256, status=result.status, path=relpath, photo_id=result.photo_id,
                     reason=_reason(result.reason, path.name) or None, idempotency_key=None)
        self._report(relpath, result, path.name)
        return True

    def _send(self, path: Path, relpath: str, sha256: str, key: str) -> UploadResult:
        busy_since: float | None = None
        lost_answer = False
        while True:
            sent = 0

            def progress(count: int) -> None:
                nonlocal sent
                sent += count
                self.out.bar.update(count)

            try:
                result = self.api.upload(self.event_id, path, filename=path.name, idempotency_key=key,
                                         progress=progress)
            except TryAgain as problem:
                self.out.bar.update(-sent)
                now = time.monotonic()
                if problem.key_problem == "busy":
                    busy_since = busy_since or now
                if problem.key_problem == "reused" or (
                        problem.key_problem == "busy" and (lost_answer or now - busy_since >= KEY_BUSY_ROTATE_S)):
                    # The first request with this key died with its server (or the bytes changed): the
                    # server's SHA-256 dedupe makes a new key safe. Saved before it is used.
                    key, busy_since = _new_key(), None
                    self._record(sha256, status="sending", path=relpath, idempotency_key=key, size=path.stat().st_size)
                    lost_answer = False
                    continue
                lost_answer = not problem.answered
                self._wait(relpath, problem)
                continue
            self._failing_since = None
            self.backoff.reset()
            return result

    def _wait(self, relpath: str, problem: TryAgain) -> None:
        now = time.monotonic()
        self._failing_since = self._failing_since or now
        if self.patience is not None and now - self._failing_since > self.patience:
            self.tally.unsent.append(relpath)
            raise GiveUp(f"{problem} (no success for {now - self._failing_since:.0f} s)")
        delay = self.backoff.next_delay(problem.retry_after)
        self.out.warn(f"retrying   {relpath} in {delay:.1f} s: {problem}")
        time.sleep(delay)

    def _record(self, sha256: str, **entry) -> None:
        self.target[sha256] = {**{k: v for k, v in entry.items() if v is not None},
                               "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        self.state.save()

    def _seen_before(self, relpath: str, entry: dict) -> None:
        if entry["status"] == "rejected":
            self.tally.rejected.append((relpath, entry.get("reason") or ""))
            self.out.warn(f"rejected   {relpath}: {entry.get('reason')} (refused earlier; --retry-rejected sends it again)")
        else:
            self.tally.already_sent += 1

    def _report(self, relpath: str, result: UploadResult, filename: str) -> None:
        reason = _reason(result.reason, filename)
        if result.status == "created":
            self.tally.uploaded += 1
            self.out.info(f"uploaded   {relpath} (photo {result.photo_id})")
        elif result.status == "duplicate":
            self.tally.duplicate += 1
            self.out.info(f"duplicate  {relpath}: {reason}")
        else:
            self.tally.rejected.append((relpath, reason))
            self.out.warn(f"rejected   {relpath}: {reason}")


def _new_key() -> str:
    return f"visage-upload-{uuid.uuid4()}"


def _reason(reason: str | None, filename: str) -> str:
    """The server's reason without its leading "<filename>: " (the line names the file already)."""
    reason = reason or ""
    return reason[len(filename) + 2:] if reason.startswith(f"{filename}: ") else reason

