"""A guest's "forget me" reaches the studio's owners by e-mail (sharing.hooks.removal_requested's
announcement, sent from Celery) through a real SMTP server (aiosmtpd): owners only, this studio only,
with the count waiting and the page to answer on; the dashboard and the event's tab count it too."""
from core.tenancy.models import Role
from core.tenancy.services import membership_add
from events import services as event_services
from sharing.models import RemovalRequest
from sharing.services.removal_notices import removal_filed_announce
from tests.factories import page_client
from tests.smtp_server import smtp_server  # noqa: F401 - fixture


def test_owners_are_mailed_through_smtp_and_the_studio_sees_a_count(
        studio_a, alice, bob, vera, charlie, smtp_server, django_capture_on_commit_callbacks):
    co_owner = membership_add(studio=studio_a, email="olga@a.example", password="pw-olga-123", role=Role.OWNER).user
    event = event_services.event_create(studio=studio_a, user=alice, name="Ana & Ben")
    with django_capture_on_commit_callbacks(execute=True):
        request = RemovalRequest.objects.create(studio=studio_a, event=event, face_ids=[11, 12])
        removal_filed_announce(request=request)

    (mail,) = smtp_server.messages
    assert sorted(a.strip() for a in mail["To"].split(",")) == sorted([alice.email, co_owner.email])
    body = smtp_server.body(mail)
    assert "Ana & Ben" in mail["Subject"] and "2 faces" in body
    assert f"/events/{event.id}/removal-requests/" in body and "1 request waits for you" in body
    assert not smtp_server.to(bob.email) and not smtp_server.to(vera.email) and not smtp_server.to(charlie.email)

    owner_page = page_client(alice)
    assert 'data-removals-pending="1"' in owner_page.get("/").content.decode()  # the dashboard card
    assert 'data-removals-pending="1"' in owner_page.get(f"/events/{event.id}/").content.decode()  # the tab
    assert "data-removals-pending" not in page_client(charlie).get("/").content.decode()


def test_a_request_decided_before_the_mail_goes_sends_nothing(studio_a, alice, smtp_server,
                                                               django_capture_on_commit_callbacks):
    event = event_services.event_create(studio=studio_a, user=alice, name="Gala")
    request = RemovalRequest.objects.create(studio=studio_a, event=event, face_ids=[1], state="confirmed")
    from sharing.tasks import removal_owners_notify

    assert removal_owners_notify.delay(request.id).get() == 0 and smtp_server.messages == []
