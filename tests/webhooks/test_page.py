"""The studio's webhooks page: owners add (secret shown once), test, delete and redeliver;
other roles and other studios cannot."""
import re

from django.test import Client

from webhooks.models import Delivery, DeliveryStatus, Webhook

PAGE = "/studio/webhooks/"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_owner_adds_a_webhook_and_sees_its_secret_once(alice, receiver, django_capture_on_commit_callbacks):
    page = _signed_in(alice)
    assert page.get(PAGE).status_code == 200
    added = page.post(PAGE, {"url": receiver.url, "events": ["photo.processed", "guest.searched"]})
    assert added.status_code == 201, added.content.decode()[:500]
    webhook = Webhook.objects.get()
    assert webhook.events == ["photo.processed", "guest.searched"] and webhook.created_by == alice
    assert webhook.secret in added.content.decode()
    again = page.get(PAGE).content.decode()
    assert webhook.secret not in again and webhook.secret_hint in again and receiver.url in again
    assert not re.search(r"<script(?![^>]*\bsrc=)", again)  # CSP: no inline code

    with django_capture_on_commit_callbacks(execute=True):
        assert page.post(f"{PAGE}{webhook.id}/ping/").status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SUCCEEDED and len(receiver.requests) == 1
    listed = page.get(PAGE).content.decode()
    assert str(delivery.uid) in listed and f"{delivery.response_ms} ms" in listed
    with django_capture_on_commit_callbacks(execute=True):
        assert page.post(f"{PAGE}{webhook.id}/deliveries/{delivery.uid}/redeliver/").status_code == 302
    assert Delivery.objects.count() == 2 and len(receiver.requests) == 2
    assert page.post(f"{PAGE}{webhook.id}/delete/").status_code == 302
    assert not Webhook.objects.exists()


def test_a_refused_url_is_explained_on_the_form(alice, settings):
    settings.VISAGE_WEBHOOKS_ALLOW_PRIVATE = False
    response = _signed_in(alice).post(PAGE, {"url": "http://127.0.0.1:8000/x", "events": ["photo.processed"]})
    assert response.status_code == 400 and "private or reserved address" in response.content.decode()
    assert not Webhook.objects.exists()


def test_other_roles_and_studios_cannot_manage_webhooks(alice, bob, charlie, receiver):
    owner = _signed_in(alice)
    owner.post(PAGE, {"url": receiver.url, "events": ["photo.processed"]})
    webhook = Webhook.objects.get()
    photographer = _signed_in(bob)
    assert photographer.get(PAGE).status_code == 403
    assert photographer.post(f"{PAGE}{webhook.id}/delete/").status_code == 403
    outsider = _signed_in(charlie)
    assert receiver.url not in outsider.get(PAGE).content.decode()
    assert outsider.post(f"{PAGE}{webhook.id}/delete/").status_code == 404
    assert outsider.post(f"{PAGE}{webhook.id}/ping/").status_code == 404
    assert Webhook.objects.filter(id=webhook.id).exists() and not Delivery.objects.exists()


def test_the_nav_links_the_page_for_owners_only(alice, bob):
    """The top bar's Studio button leads owners to the studio's pages, whose row links Webhooks;
    a photographer gets Team only, and no Webhooks link anywhere."""
    owner, photographer = _signed_in(alice), _signed_in(bob)
    assert 'href="/studio/settings/"' in owner.get("/").content.decode()
    assert 'href="/studio/webhooks/"' in owner.get("/studio/settings/").content.decode()
    assert 'href="/studio/settings/"' not in photographer.get("/").content.decode()
    assert 'href="/studio/webhooks/"' not in photographer.get("/studio/team/").content.decode()


def test_the_page_explains_signatures_without_pointing_at_repository_files(alice):
    page = _signed_in(alice).get(PAGE).content.decode()
    assert "docs/" not in page.replace("/api/docs/", "") and ".md" not in page
    assert 'href="/api/docs/"' in page and "HMAC-SHA256" in page and "X-Visage-Timestamp" in page
