"""The two ways to run: `push` (the folder once) and `watch` (the folder as photos keep arriving).

Watching uses watchdog's native observer (inotify, FSEvents, ReadDirectoryChangesW), or, with
`--poll`, its polling observer for network shares and other folders whose changes raise no events.
Events only say "look at this path"; what is sent is decided by the settler (has it stopped
growing?) and the uploader (does the event have these bytes already?). A full rescan every
RESCAN_S catches anything an event missed (a folder moved in whole, an overflowing event queue).
"""
from __future__ import annotations

import queue
import time
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from visage_upload.files import Settler, is_photo, scan
from visage_upload.uploader import Uploader

TICK_S = 0.25
RESCAN_S = 60.0


def push(root: Path, uploader: Uploader, settler: Settler) -> None:
    """Every photo in `root` now, each once it has settled; returns when none is left."""
    batch = scan(root)
    uploader.expect(batch)
    for path in batch:
        settler.note(path)
    while len(settler):
        _send_ready(uploader, settler)
        if len(settler):
            time.sleep(TICK_S)


def watch(root: Path, uploader: Uploader, settler: Settler, *, poll: bool = False) -> None:
    """Photos already in `root`, then every new or changed one, until interrupted (KeyboardInterrupt)."""
    sightings: queue.SimpleQueue[Path] = queue.SimpleQueue()
    observer = PollingObserver(timeout=1) if poll else Observer()
    observer.schedule(_Sightings(root, sightings), str(root), recursive=True)
    observer.start()
    try:
        next_rescan = 0.0
        while True:
            if time.monotonic() >= next_rescan:
                for path in scan(root):
                    settler.note(path)
                next_rescan = time.monotonic() + RESCAN_S
            while not sightings.empty():
                settler.note(sightings.get())
            _send_ready(uploader, settler)
            time.sleep(TICK_S)
    finally:
        observer.stop()
        observer.join(10)


def _send_ready(uploader: Uploader, settler: Settler) -> None:
    ready = settler.ready()
    for index, path in enumerate(ready):
        try:
            sent = uploader.handle(path)
        except BaseException:
            for unsent in ready[index:]:  # still to do: named as not sent, or picked up after a Ctrl-C
                settler.note(unsent)
            raise
        if not sent:
            settler.note(path)  # it changed while being read or sent: wait for it to settle again


class _Sightings(FileSystemEventHandler):
    """Turns file events into paths to look at (runs on watchdog's thread; the queue hands them over)."""

    def __init__(self, root: Path, sightings: queue.SimpleQueue[Path]):
        self.root, self.sightings = root, sightings

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("deleted", "opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(raw.decode() if isinstance(raw, bytes) else raw)
            if event.is_directory:  # a folder created or moved in: its files may raise no event of their own
                for found in scan(path) if path.is_dir() and is_photo_folder(self.root, path) else ():
                    self.sightings.put(found)
            elif is_photo(self.root, path):
                self.sightings.put(path)


def is_photo_folder(root: Path, folder: Path) -> bool:
    try:
        return not any(part.startswith(".") for part in folder.relative_to(root).parts)
    except ValueError:
        return False
