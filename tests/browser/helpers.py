"""Steps the browser journeys share."""
from pathlib import Path

import pytest

BBT = Path(__file__).resolve().parents[3] / "shared" / "data" / "faces" / "bbt"
PEOPLE_PHOTOS = [BBT / "people" / name / f"{name}1.png" for name in ("amy", "bernadette", "howard", "leonard", "penny", "raj")]
GROUP_PHOTO = BBT / "group" / "bbt1.jpg"


def login(page, email: str, password: str) -> None:
    page.goto("/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def ready(page) -> None:
    """Wait until the page's module script has run (it marks its root with data-ready)."""
    page.locator("[data-ready='true']").first.wait_for(state="attached")


# Two bugs in sharing/ (reported to its owner): POST share-links serializes `token` from the model
# (AttributeError → 500), and the guest pages' <meta name="referrer" content="no-referrer"> makes
# Chromium send "Origin: null", so Django's CSRF check refuses every guest form (PIN, consent,
# selfie). Remove this marker when both are fixed; the tests pass with them fixed.
SHARING_FIXES_PENDING = pytest.mark.xfail(reason="waiting for two fixes in sharing/ (see helpers.py)", strict=False)
