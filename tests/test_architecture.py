"""The layering of README "Architecture", enforced: import-linter's contracts (.importlinter)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _lint(tree: Path) -> subprocess.CompletedProcess:
    """lint-imports over the packages under `tree`, with `tree`'s .importlinter."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())",
         "--config", str(tree / ".importlinter"), "--no-cache"],
        cwd=tree, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(tree)})


def test_every_arrow_points_down():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_contract_catches_an_upward_import(tmp_path):
    """Teeth: the same contracts over a copy of the tree with one leak like those fixed (events
    asking recognition for something) must fail."""
    for package in ("camera", "core", "events", "recognition", "sharing", "webhooks", "web", "visage"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "ml", "clustering"))
    for package in ("ml", "clustering"):
        (tmp_path / "recognition" / package).mkdir()
        (tmp_path / "recognition" / package / "__init__.py").write_text("")
    with open(tmp_path / "events" / "selectors.py", "a") as leak:
        leak.write("\nfrom recognition.selectors import event_face_counters  # the old leak\n")
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "events.selectors -> recognition.selectors" in result.stdout
