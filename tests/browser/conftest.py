"""Headless Chromium (Debian's) driven by Playwright against pytest-django's live server.

Playwright's sync API runs an asyncio loop in this thread; Django's async-safety check would
otherwise refuse the ORM calls the tests make between browser steps.
"""
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("VISAGE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Before a screenshot: scroll to the top (sticky header) and give images near the viewport a
# moment to arrive (face thumbnails are cut on first request).
SETTLE_IMAGES = """async () => {
  window.scrollTo(0, 0);
  document.getElementById('toast')?.setAttribute('hidden', '');
  const near = [...document.images].filter((img) => img.getBoundingClientRect().top < innerHeight * 3);
  const loaded = near.map((img) => img.decode().catch(() => null));
  await Promise.race([Promise.all(loaded), new Promise((done) => setTimeout(done, 5000))]);
}"""
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"viewport": {"width": 1280, "height": 860}}
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
# The guest pages' sizes (issue #20): a 390×844 phone and a 1440 px desktop.
GUEST_PHONE = {**PHONE, "viewport": {"width": 390, "height": 844}}
WIDE = {"viewport": {"width": 1440, "height": 900}}
SIZES = {"desktop": DESKTOP, "phone": PHONE, "guest-phone": GUEST_PHONE, "wide": WIDE}


def pytest_collection_modifyitems(config, items):
    """Mark every test here as a browser test; skip them (loudly) where Chromium is missing."""
    missing = not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM))
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} not installed: make browser-deps"))


@pytest.fixture(autouse=True)
def one_upload_at_a_time_on_sqlite(settings):
    """The live server shares one in-memory SQLite connection across its threads, so parallel
    upload requests would interleave transactions; PostgreSQL (CI) keeps the default of 2."""
    from django.db import connection

    if connection.vendor == "sqlite":
        settings.VISAGE_UPLOAD_PARALLEL_REQUESTS = 1


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=15_000)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """new_page("desktop" | "phone" | "guest-phone" | "wide", **context options such as locale or
    color_scheme) → a fresh page in its own context (own cookies).

    A JavaScript error on any page fails the test: a broken script must not pass unnoticed.
    """
    contexts, errors = [], []

    def make(kind: str = "desktop", **options):
        context = browser.new_context(base_url=live_server.url, **{**SIZES[kind], **options})
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, "JavaScript errors:\n" + "\n".join(errors)


@pytest.fixture
def shot():
    """shot(page, "event") saves test-artifacts/screenshots/event-<width>.png (full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}-{page.viewport_size['width']}.png"
        page.evaluate(SETTLE_IMAGES)
        page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path

    return save

