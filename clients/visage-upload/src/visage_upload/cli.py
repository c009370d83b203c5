"""`visage-upload push|watch DIR --event ID`: options, the start-up check, and the exit codes."""
from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from visage_upload import __version__
from visage_upload.api import Fatal, TryAgain, VisageApi
from visage_upload.files import Settler
from visage_upload.state import DEFAULT_NAME, State
from visage_upload.uploader import Backoff, GiveUp, Output, Uploader
from visage_upload.watcher import push, watch

OK, REJECTED, USAGE, NOT_SENT, REFUSED, INTERRUPTED = 0, 1, 2, 3, 4, 130


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.url or not args.api_key:
        _parser().error("the server and the key are needed: --url and --api-key, or VISAGE_URL and VISAGE_API_KEY")
    folder = args.dir.expanduser().resolve()
    if not folder.is_dir():
        _parser().error(f"{args.dir} is not a folder")
    signal.signal(signal.SIGTERM, _interrupt)  # a service manager's stop ends the run like Ctrl-C
    patience = None if args.command == "watch" else args.patience
    api = VisageApi(args.url, args.api_key)
    state_path = args.state or folder / DEFAULT_NAME
    try:
        state = State.load(state_path)
        state.save()  # a read-only folder (a memory card) is found now, not after the first upload
    except OSError as exc:
        _parser().error(f"cannot write the state file {state_path} ({exc.strerror}): choose another with --state")
    output = Output(progress=args.progress)
    uploader = Uploader(api=api, event_id=args.event, root=folder, state=state, output=output, patience=patience,
                        retry_rejected=args.retry_rejected, backoff=Backoff(cap=args.max_backoff))
    settler = Settler(args.settle)
    try:
        name = _event_name(api, args.event, patience, output, Backoff(cap=args.max_backoff))
    except Fatal as refused:
        return _fail(output, str(refused), REFUSED)
    except GiveUp as problem:
        return _fail(output, f"giving up, nothing was sent: {problem}", NOT_SENT)
    except KeyboardInterrupt:
        return _fail(output, "stopped before anything was sent", INTERRUPTED)
    try:
        output.info(f"{args.command}: {folder} → event {args.event} ({name}) on {api.base_url}")
        if args.command == "watch":
            output.info("watching for new photos; Ctrl-C stops")
            watch(folder, uploader, settler, poll=args.poll)
        else:
            push(folder, uploader, settler)
    except Fatal as refused:
        return _fail(output, str(refused), REFUSED)
    except GiveUp as problem:
        _fail(output, f"giving up: {problem}", NOT_SENT)
        uploader.tally.unsent.extend(path.relative_to(folder).as_posix() for path in settler.pending())
        print(f"{args.command}: {uploader.tally.summary()}", file=sys.stderr)
        for relpath in uploader.tally.unsent:
            print(f"  not sent: {relpath}", file=sys.stderr)
        return NOT_SENT
    except KeyboardInterrupt:
        output.close()
        print(f"{args.command}: stopped; {uploader.tally.summary()}", file=sys.stderr)
        return OK if args.command == "watch" else INTERRUPTED
    output.close()
    tally = uploader.tally
    print(f"{args.command}: {tally.summary()}")
    for relpath, reason in tally.rejected:
        print(f"  rejected: {relpath}: {reason}", file=sys.stderr)
    return REJECTED if tally.rejected else OK


def _fail(output: Output, message: str, code: int) -> int:
    output.close()
    print(f"visage-upload: error: {message}", file=sys.stderr)
    return code


def _event_name(api: VisageApi, event_id: int, patience: float | None, output: Output, backoff: Backoff) -> str:
    """Checks the key and the event before any file is read; waits for a server that is not up yet."""
    started = time.monotonic()
    while True:
        try:
            return api.event_name(event_id)
        except TryAgain as problem:
            if patience is not None and time.monotonic() - started > patience:
                raise GiveUp(str(problem)) from problem
            delay = backoff.next_delay(problem.retry_after)
            output.warn(f"waiting    for the server, retrying in {delay:.1f} s: {problem}")
            time.sleep(delay)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("dir", type=Path, metavar="DIR", help="the folder of photos (nested folders included)")
    common.add_argument("--event", type=int, required=True, metavar="ID", help="the Visage event to upload into")
    common.add_argument("--url", default=os.environ.get("VISAGE_URL"),
                        help="the Visage server, e.g. https://visage.example (default: $VISAGE_URL)")
    common.add_argument("--api-key", default=os.environ.get("VISAGE_API_KEY"),
                        help="a studio API key of scope 'upload' (default: $VISAGE_API_KEY)")
    common.add_argument("--state", type=Path, default=None,
                        help=f"the file recording what was sent (default: DIR/{DEFAULT_NAME})")
    common.add_argument("--settle", type=float, default=2.0, metavar="SECONDS",
                        help="a file is sent once its size and time have not changed for this long (default: 2)")
    common.add_argument("--max-backoff", type=float, default=60.0, metavar="SECONDS",
                        help="the longest wait between two retries (default: 60)")
    common.add_argument("--retry-rejected", action="store_true",
                        help="send again files the server refused before (e.g. after it learned a new format)")
    bar = common.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_const", const=True, default=None,
                     help="always show the progress bar (default: only on a terminal)")
    bar.add_argument("--no-progress", dest="progress", action="store_const", const=False, help="never show it")

    parser = argparse.ArgumentParser(prog="visage-upload", description="Upload a folder of photos to a Visage event.")
    parser.add_argument("--version", action="version", version=f"visage-upload {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    pushing = commands.add_parser("push", parents=[common], help="upload the folder's photos once, then exit")
    pushing.add_argument("--patience", type=float, default=300.0, metavar="SECONDS",
                         help="give up (exit 3) after the server has failed this long without a success (default: 300)")
    watching = commands.add_parser("watch", parents=[common], help="upload photos as they appear, until stopped")
    watching.add_argument("--poll", action="store_true",
                          help="look for changes by polling (network shares, where file events do not arrive)")
    return parser


if __name__ == "__main__":
    sys.exit(main())
