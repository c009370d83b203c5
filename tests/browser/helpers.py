"""Steps the browser journeys share."""
from pathlib import Path


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


# A bug in sharing/ (reported to its owner): the guest pages' <meta name="referrer"
# content="no-referrer"> makes Chromium send "Origin: null" with form posts, so Django's CSRF
# check refuses every guest form (PIN, consent, selfie) with a 403. "same-origin" keeps tokens
# out of other sites' logs and lets the forms work. Remove this marker once it is fixed.
