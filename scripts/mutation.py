"""The mutation gate (`make mutation`): mutmut over the modules of scripts/mutation_targets.py.

Each module runs in its own work folder (var/mutation/<module>/) against only the tests mapped to
it, so mutmut's stats pass and its clean run stay small; mutmut then runs, per mutant, only the
tests that executed the mutated function. Prints the kill rate per module and exits 1 when a
module falls below the gate.

    python scripts/mutation.py                      # every module
    python scripts/mutation.py core/idempotency.py  # one module
    python scripts/mutation.py --ci                 # the fixed sample .ci/run checks
    python scripts/mutation.py --survivors core/api.py   # list what survived last time

mutmut, not cosmic-ray: mutmut forks a worker per mutant from a process that has already
imported Django and the tests, so a mutant costs its few tests, not a Django start and a test
database; cosmic-ray runs the whole test command per mutant and edits the tree in place.
mutmut mutates function bodies only: module-level tables (core/access.py's role table) are pinned
by table tests instead.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from mutation_targets import CI_MODULE, CI_SAMPLE, CI_SEED, GATE, TARGETS  # noqa: E402

WORK = ROOT / "var" / "mutation"
# What the tests need besides the packages: mutmut copies these into its mutants/ folder.
PACKAGES = ["camera", "core", "events", "recognition", "sharing", "webhooks", "web", "visage"]
ALSO_COPY = ["tests", "templates", "static", "locale", "pytest.ini", "manage.py", "docs", "requirements"]
KILLED = {1, 3}  # mutmut's exit codes for a failing test run (3: pytest internal error)
TIMEOUT = {36, -24, 24, 152, 255}  # a mutant that hangs the tests is caught too


def _workdir(module: str) -> Path:
    work = WORK / module.replace("/", "_").removesuffix(".py")
    work.mkdir(parents=True, exist_ok=True)
    for name in PACKAGES + ALSO_COPY:
        link = work / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    shared = work / "shared"  # the tests find ../shared/data beside the tree they run from (mutants/)
    if not shared.is_symlink():
        shared.symlink_to(ROOT.parent / "shared")
    return work


def _prune(module: str) -> None:
    """mutmut copies the tree into mutants/ but never deletes: drop copies of files removed since
    (a deleted migration left behind would make two leaf migrations)."""
    copy = _workdir(module) / "mutants"
    for name in PACKAGES + ["tests"]:
        for path in (copy / name).rglob("*.py") if (copy / name).is_dir() else []:
            if not (ROOT / path.relative_to(copy)).exists():
                path.unlink()


def _mutmut_config(module: str) -> dict:
    return {
        "source_paths": PACKAGES,
        "only_mutate": [module],
        "also_copy": ALSO_COPY,
        "pytest_add_cli_args_test_selection": TARGETS[module],
        # Each mutant's pytest reuses the test database the stats run made (tests/conftest.py empties
        # its tables first) instead of dropping, creating and migrating one: seconds per mutant.
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-W", "ignore", "--reuse-db"],
        "use_git_change_detection": False,
        "track_dependencies": False,
        "timeout_multiplier": 5.0,
        # mutmut's limit is wall-clock: (the tests' call time in the stats run + this) x the multiplier,
        # and each mutant's run is a pytest start on top. With mutmut's 1 s a busy machine made every slow
        # run a "timeout", counted as killed whatever it changed (all 33 mutants of
        # sharing/services/access.py's _use_claim were, a change no test can notice among them).
        "timeout_constant": 30.0,
    }


def _run_mutmut(module: str, arguments: list[str], quiet: bool = True) -> int:
    """mutmut in a child process whose cwd is the module's work folder, configured from here; its
    progress output goes to the folder's mutmut.log."""
    work = _workdir(module)
    program = (
        "import json, sys, mutmut.configuration as c\n"
        f"conf = json.loads({json.dumps(json.dumps(_mutmut_config(module)))})\n"
        "c._config_reader = lambda: (lambda key, default: conf.get(key, default))\n"
        # A mutant's tests fastest first (pytest runs them with -x): a killed mutant costs its quickest failing test.
        "import mutmut.runners.harness as h\n"
        "from mutmut.state import state\n"
        "args = h.PytestRunner._pytest_args_regular_run\n"
        "h.PytestRunner._pytest_args_regular_run = lambda self, tests: args(\n"
        "    self, sorted(tests, key=lambda test: (state().duration_by_test.get(test, 0.0), test)))\n"
        "from mutmut.__main__ import cli\n"
        "sys.exit(cli(sys.argv[1:]))\n"
    )
    command = [sys.executable, "-c", program, *arguments]
    with open(work / "mutmut.log", "w") as log:
        output = {"stdout": log, "stderr": subprocess.STDOUT} if quiet else {}
        return subprocess.run(command, cwd=work, env=_environment(module), **output).returncode


def _environment(module: str) -> dict[str, str]:
    """One PostgreSQL database per module (pytest-django adds test_), so modules can run side by side."""
    environment = {**os.environ, "PYTHONPATH": ""}
    url = environment.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        environment["DATABASE_URL"] = f"{url.rstrip('/')}_mut_{_workdir(module).name}"
    return environment


def _drop_test_database(module: str) -> None:
    """A fresh run starts from a new test database (its workers reuse the one the stats run makes)."""
    url = _environment(module).get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return  # SQLite: pytest-django's test database lives in memory
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "test_{name}"')


def _results(module: str) -> dict[str, int | None]:
    meta = _workdir(module) / "mutants" / (module + ".meta")
    return json.loads(meta.read_text())["exit_code_by_key"]


def _all_mutant_names(module: str) -> list[str]:
    """The module's mutants as mutmut names them, generated here without running a test."""
    import mutmut.configuration
    from mutmut.mutation.file_mutation import mutate_file_contents
    from mutmut.utils.format_utils import get_mutant_name

    conf = _mutmut_config(module)
    mutmut.configuration._config_reader = lambda: (lambda key, default: conf.get(key, default))
    mutmut.configuration.reset_config()
    mutated = mutate_file_contents(module, (ROOT / module).read_text())
    return sorted(get_mutant_name(Path(module), name) for name in mutated.mutant_names)


def _score(results: dict[str, int | None]) -> tuple[int, int, list[str]]:
    # A mutant no mapped test reaches (mutmut's 33) counts as a survivor: the gate is about the tests.
    tested = {name: code for name, code in results.items() if code is not None and code != 34}
    caught = [name for name, code in tested.items() if code in KILLED | TIMEOUT]
    survivors = sorted(name for name in tested if name not in caught)
    return len(caught), len(tested), survivors


def _report(module: str, results: dict[str, int | None]) -> bool:
    caught, tested, survivors = _score(results)
    untested = sum(1 for code in results.values() if code == 33)
    unrun = sum(1 for code in results.values() if code is None)  # an interrupted run: the gate fails
    rate = 100.0 * caught / tested if tested else 0.0
    verdict = "ok" if rate >= GATE and not unrun else f"BELOW {GATE:.0f} %" if rate < GATE else "INCOMPLETE"
    print(f"{module:32} {caught:4}/{tested:<4} killed  {rate:5.1f} %  ({untested} not reached by its tests, "
          f"{unrun} not run)  {verdict}")
    for name in survivors:
        print(f"    survived: {name}")
    return rate >= GATE and not unrun


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="paths from scripts/mutation_targets.py (default: all)")
    parser.add_argument("--ci", action="store_true", help=f"a fixed sample of {CI_SAMPLE} mutants of {CI_MODULE}")
    parser.add_argument("--survivors", action="store_true", help="report the last run's results, run nothing")
    parser.add_argument("--show", action="store_true", help="with --survivors: print each survivor's diff")
    parser.add_argument("--again", action="store_true",
                        help="keep the last results and retest only their survivors (after adding tests)")
    parser.add_argument("--max-children", type=int, default=1,
                        help="parallel mutants; they share one test database, so 1 unless tests allow more")
    args = parser.parse_args()
    unknown = set(args.modules) - set(TARGETS)
    if unknown:
        parser.error(f"not in scripts/mutation_targets.py: {sorted(unknown)}")
    if args.ci:
        shutil.rmtree(_workdir(CI_MODULE) / "mutants", ignore_errors=True)
        _drop_test_database(CI_MODULE)
        names = random.Random(CI_SEED).sample(_all_mutant_names(CI_MODULE), CI_SAMPLE)
        _run_mutmut(CI_MODULE, ["run", f"--max-children={args.max_children}", *names])
        results = _results(CI_MODULE)
        return 0 if _report(CI_MODULE, {name: results[name] for name in names}) else 1
    passed = True
    for module in args.modules or list(TARGETS):
        if args.again:  # mutants of changed functions first (they have no verdict), then the old survivors
            _prune(module)
            _run_mutmut(module, ["run", f"--max-children={args.max_children}"])
            _run_mutmut(module, ["run", f"--max-children={args.max_children}", *_score(_results(module))[2]])
        elif not args.survivors:
            shutil.rmtree(_workdir(module) / "mutants", ignore_errors=True)  # a fresh run, no cached verdicts
            _drop_test_database(module)
            _run_mutmut(module, ["run", f"--max-children={args.max_children}"])
        passed = _report(module, _results(module)) and passed
        if args.show:
            for name in _score(_results(module))[2]:
                _run_mutmut(module, ["show", name], quiet=False)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
