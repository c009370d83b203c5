"""The layering of README "Architecture", enforced: import-linter's contracts (.importlinter)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lint(tree: Path) -> subprocess.CompletedProcess:
    """lint-imports over the packages under `tree`, with `tree`'s .importlinter."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
         "--config", str(tree / ".importlinter"), "--no-cache"],
        cwd=tree, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(tree)})


def _copy_tree(tmp_path: Path) -> None:
    """The apps and .importlinter, without the model code (the pure-ML packages become empty)."""
    for package in ("camera", "core", "events", "recognition", "sharing", "webhooks", "web", "visage"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "ml", "clustering"))
    for package in ("ml", "clustering"):
        (tmp_path / "recognition" / package).mkdir()
        (tmp_path / "recognition" / package / "__init__.py").write_text("")
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")


def test_every_arrow_points_down():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


# Teeth: the same contracts over a copy of the tree with one planted fault must fail.
PLANTED = {
    # events asking recognition for something (the old leak)
    "upward import": ("events/selectors.py", "\nfrom recognition.selectors import event_face_counters\n",
                      "events.selectors -> recognition.selectors"),
    # a deferred import back from core.idempotency to core.api, which imports it (core.schema ⇄ core.api was one)
    "sibling cycle": ("core/idempotency.py", "\n\ndef _later():\n    from core.api import StudioApi\n    return StudioApi\n",
                      "No cycles are allowed in core"),
}


@pytest.mark.parametrize("fault", PLANTED)
def test_the_contracts_catch_a_planted_fault(tmp_path, fault):
    path, text, expected = PLANTED[fault]
    _copy_tree(tmp_path)
    with open(tmp_path / path, "a") as planted:
        planted.write(text)
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert expected in result.stdout


def _local_packages() -> set[str]:
    """Top-level folders of this repository that Python imports as packages (an __init__.py)."""
    return {path.parent.name for path in ROOT.glob("*/__init__.py") if path.parent.name != "tests"}


def _root_packages() -> set[str]:
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    return set(config["importlinter"]["root_packages"].split())


def test_every_local_package_is_under_the_contracts():
    """A new top-level app that import-linter does not know would escape every contract."""
    assert _local_packages() - _root_packages() == set()
    assert {"core", "events", "recognition", "sharing", "webhooks", "web", "visage"} <= _local_packages()
