"""Peak memory of refusing (or decoding) a tiny image that declares a huge canvas.

    python scripts/measure_image_bomb.py upload|selfie [REPO_DIR]

REPO_DIR (default: this checkout) lets you measure an older tree with the same script. The
process loads the face model first (selfie), then resets its peak RSS (/proc/self/clear_refs)
and runs only the path under test, so the number is that path's own cost.
"""
import io
import os
import sys
from pathlib import Path

# A 38-byte lossless WebP declaring 13,300 × 13,300 pixels (177 MP); see tests/abuse/conftest.py.
BOMB = bytes.fromhex("524946461e00000057454250565038" "4c110000002ff3f3fc0c0750da2217b4ff8188e87f0000")


def kib(field: str) -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field))


def run(path: str):
    if path == "upload":
        from events.inspection import inspect_photo

        return inspect_photo(io.BytesIO(BOMB), len(BOMB))
    from django.core.files.uploadedfile import SimpleUploadedFile

    from recognition.conf import face_pipeline as get_pipeline

    try:
        from sharing.services.guests import _selfie_header_check
    except ImportError:  # an older tree without the header check
        _selfie_header_check = None
    if _selfie_header_check is not None:
        _selfie_header_check(SimpleUploadedFile("bomb.webp", BOMB))
    return get_pipeline().analyze(BOMB)


def main() -> None:
    path = sys.argv[1]
    tree = Path(sys.argv[2] if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent)
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "visage.settings.test")
    import django

    django.setup()
    if path == "selfie":
        from recognition.conf import face_pipeline as get_pipeline

        get_pipeline()
    before = kib("VmRSS:")
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    try:
        outcome = repr(run(path))[:100]
    except Exception as exc:  # noqa: BLE001 - the refusal is the expected outcome
        outcome = f"{type(exc).__name__}: {str(exc)[:100]}"
    print(f"{path}: peak +{(kib('VmHWM:') - before) / 1024:.0f} MiB; {outcome}")


if __name__ == "__main__":
    main()
