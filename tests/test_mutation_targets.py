"""The mutation gate's list (scripts/mutation_targets.py) names files that exist: a module that
moves (the claims to recognition/ingest/) must move there too, or the gate would mutate nothing."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from mutation_targets import CI_MODULE, CI_SAMPLE, TARGETS  # noqa: E402


def test_every_target_module_and_test_file_exists():
    missing = [path for module, tests in TARGETS.items() for path in [module, *tests] if not (ROOT / path).is_file()]
    assert missing == []


def test_each_module_has_its_own_tests_and_the_ci_slice_is_one_of_them():
    assert all(any("mutation_targets" not in path for path in tests) for tests in TARGETS.values())
    assert CI_MODULE in TARGETS and 0 < CI_SAMPLE <= 40  # CI's slice stays a few minutes
