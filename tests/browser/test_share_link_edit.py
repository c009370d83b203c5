"""Issue #19: a share link is edited on the Sharing tab (label, expiry with "extend by 7 days",
maximum guests, PIN, downloads) through the share-link PATCH API, at 390 and 1440 px."""
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone
from playwright.sync_api import expect

from core.tenancy.services import studio_create
from events import services as event_services
from sharing.models import ShareLink
from sharing.services.links import share_link_create
from tests.browser.helpers import login, ready


@pytest.mark.parametrize("size", ["guest-phone", "wide"])
def test_owner_edits_and_extends_an_expired_link(live_server, new_page, shot, size):
    studio, owner = studio_create(name="Lumen Weddings", owner_email="ana@lumen.example", owner_password="pw-ana-123")
    event = event_services.event_create(studio=studio, user=owner, name="Penny & Leonard")
    link = share_link_create(event=event, user=owner, base_url=live_server.url, scope="event", label="Table cards",
                             expires_at=timezone.now() + timedelta(days=1), pin="1234").link
    ShareLink.objects.filter(id=link.id).update(expires_at=timezone.now() - timedelta(hours=1))  # it ran out yesterday
    page = new_page(size)
    login(page, "ana@lumen.example", "pw-ana-123")
    page.goto(f"/events/{event.id}/sharing/")
    ready(page)
    item = page.locator(f"[data-link-id='{link.id}']")
    expect(item).to_contain_text("Expired")

    item.get_by_role("button", name="Edit Table cards").click()
    dialog = page.locator("#edit-link-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Label")).to_have_value("Table cards")
    dialog.get_by_label("Label").fill("Parents' table")
    dialog.get_by_role("button", name="Extend by 7 days").click()
    dialog.get_by_label("Maximum guests").fill("0")
    shot(page, "share-link-edit")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog.locator("[data-role=edit-error]")).to_contain_text("Maximum guests")  # the form's words, not max_uses
    dialog.get_by_label("Maximum guests").fill("40")
    dialog.get_by_label("New PIN").fill("9876")
    dialog.get_by_label("Downloads").select_option("previews")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_be_hidden()

    item = page.locator(f"[data-link-id='{link.id}']")
    expect(item).to_contain_text("Parents' table")
    expect(item).to_contain_text("Active")
    expect(item).to_contain_text("0 of 40 guests")
    expect(item).to_contain_text("Previews only")
    link.refresh_from_db()
    assert link.label == "Parents' table" and link.max_uses == 40 and link.download == "previews"
    assert timedelta(days=6, hours=23) < link.expires_at - timezone.now() <= timedelta(days=7)
    assert check_password("9876", link.pin_hash)

    item.get_by_role("button", name="Edit Parents' table").click()
    dialog.get_by_label("Remove the PIN").check()
    dialog.get_by_label("Expires").fill("")
    dialog.get_by_role("button", name="Save changes").click()
    expect(dialog).to_be_hidden()
    expect(item).to_contain_text("never expires")
    link.refresh_from_db()
    assert link.pin_hash == "" and link.expires_at is None and link.label == "Parents' table"
