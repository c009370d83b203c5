"""Steps the guest-page browser tests share: an event with a tall photo, visits, swipes, axe."""
import io
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from events import services as event_services
from sharing.services.links import share_link_create
from tests.browser.helpers import BBT
from core.tenancy.services import studio_create

# Stands in for a phone that can share files (Chromium on Linux cannot): records what was shared.
SHARE_STUB = """
window.__shared = [];
navigator.canShare = (data) => !!(data && data.files && data.files.length);
navigator.share = async (data) => { window.__shared.push(data.files.map((f) => `${f.name}:${f.type}:${f.size}`)); };
"""


def tall_photo() -> SimpleUploadedFile:
    """A 600×1500 portrait with a face near the top, as phones take them."""
    face = Image.open(BBT / "people" / "amy" / "amy1.png").convert("RGB").resize((360, 360))
    canvas = Image.new("RGB", (600, 1500), (90, 100, 120))
    canvas.paste(face, (120, 60))
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=90)
    return SimpleUploadedFile("tall.jpg", out.getvalue())


def event_with_photos(live_server, name="Penny & Leonard's wedding"):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_services.event_create(studio=studio, user=owner, name=name)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in (BBT / "people" / "penny" / "penny1.png",
                                                                  BBT / "people" / "leonard" / "leonard1.png")]
    event_services.photos_upload(event=event, user=owner, files=[*files, tall_photo()])

    def link(**fields):
        return share_link_create(event=event, user=owner, base_url=live_server.url, **{"scope": "event", **fields})
    return event, link


def enter_gallery(page, url: str) -> None:
    """Landing → consent → the grid (event and person links need no selfie)."""
    page.goto(url)
    page.get_by_role("link", name="Start").click()
    page.get_by_label(re.compile("I agree")).check()
    page.get_by_role("button", name="Agree and continue").click()
    page.wait_for_url(re.compile(r"/photos$"))


def swipe(page, dx: float, *, y: float = 380) -> None:
    """A one-finger horizontal swipe as touch events (Chrome DevTools Protocol), not mouse events."""
    cdp = page.context.new_cdp_session(page)
    x0 = 195 - dx / 2
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for step in range(1, 7):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x0 + dx * step / 6, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def shared_count(page, count: int, *, seconds: float = 15) -> list:
    """Wait until the stubbed share sheet was opened `count` times (wait_for_function would need
    eval, which the pages' CSP forbids); → what was shared."""
    for _ in range(int(seconds * 10)):
        shared = page.evaluate("window.__shared")
        if len(shared) >= count:
            return shared
        page.wait_for_timeout(100)
    raise AssertionError(f"the share sheet opened {len(shared)} times, not {count}")


def serious_violations(page) -> list[str]:
    """axe-core (pinned: the axe.min.js inside axe-playwright-python) → serious and critical only."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
            for v in violations if v["impact"] in ("serious", "critical")]
