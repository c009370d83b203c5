"""sharing/services/access.py: how a guest gets in — a code typed any way, the uses a link allows
(the last one and the one after), a session no longer than its link, consent first."""
from datetime import timedelta

import pytest
from django.utils import timezone

from events.services import event_create
from recognition.models import Person
from sharing.clients import Client
from sharing.errors import ConsentMissing, LinkGone, LinkNotFound, RateLimited
from sharing.models import GuestConsent, GuestSession, Scope, ShareLink
from sharing.services.access import guest_session_start, guest_use_claim, share_link_resolve
from sharing.services.links import share_link_create, share_link_revoke

GUEST = Client(ip_hash="a" * 64, user_agent="test phone", device="device-1")


@pytest.fixture
def event(studio_a, alice):
    return event_create(studio=studio_a, user=alice, name="Gala")


def _link(event, **fields):
    return share_link_create(event=event, user=None, base_url="http://testserver", **fields)


def test_a_code_is_found_however_it_is_typed_and_a_token_by_its_hash(event):
    created = _link(event)
    code = created.link.code
    for typed in (code, code.lower(), f"{code[:4]}-{code[4:]}", f" {code[:4]} {code[4:]} ".strip()):
        assert share_link_resolve(key=typed, client=GUEST).id == created.link.id
    assert share_link_resolve(key=created.token, client=GUEST).id == created.link.id
    for unknown in (code[:-1], code + "2", created.token[:-1] + ("A" if created.token[-1] != "A" else "B")):
        with pytest.raises(LinkNotFound):
            share_link_resolve(key=unknown, client=GUEST)


def test_a_revoked_or_expired_link_is_gone_not_unknown(event):
    revoked = _link(event)
    share_link_revoke(link=revoked.link)
    with pytest.raises(LinkGone) as gone:
        share_link_resolve(key=revoked.token, client=GUEST)
    assert gone.value.code == "link_revoked"


def test_an_album_link_allows_exactly_its_uses(event):
    link = _link(event, scope=Scope.EVENT, max_uses=2).link
    for _ in range(2):
        guest_session_start(link=link, consent=True, client=GUEST)
    with pytest.raises(LinkGone) as gone:
        guest_session_start(link=link, consent=True, client=GUEST)
    assert gone.value.code == "link_exhausted"
    link.refresh_from_db()
    assert link.use_count == 2 and GuestSession.objects.filter(link=link).count() == 2


def test_a_selfie_guest_spends_a_use_at_the_first_search_only(event):
    link = _link(event, scope=Scope.SELFIE, max_uses=1).link
    session, _ = guest_session_start(link=link, consent=True, client=GUEST)
    other, _ = guest_session_start(link=link, consent=True, client=GUEST)  # opening spends nothing
    link.refresh_from_db()
    assert link.use_count == 0
    guest_use_claim(session=session)
    guest_use_claim(session=session)  # the same guest searching again
    link.refresh_from_db()
    assert link.use_count == 1 and session.searched
    with pytest.raises(LinkGone) as gone:  # the other guest came for the use already spent
        guest_use_claim(session=other)
    assert gone.value.code == "link_exhausted"
    with pytest.raises(LinkGone):
        guest_session_start(link=link, consent=True, client=GUEST)


def test_a_session_ends_with_its_link_and_consent_comes_first(event, settings):
    soon = timezone.now() + timedelta(minutes=5)
    link = _link(event, expires_at=soon).link
    with pytest.raises(ConsentMissing):
        guest_session_start(link=link, consent=False, client=GUEST)
    assert not GuestSession.objects.exists() and not GuestConsent.objects.exists()
    session, secret = guest_session_start(link=link, consent=True, client=GUEST)
    assert session.expires_at == link.expires_at and len(secret) >= 40
    consent = GuestConsent.objects.get(session=session)
    assert consent.ip_hash == GUEST.ip_hash and consent.user_agent == "test phone"
    lasting = _link(event).link
    long_session, _ = guest_session_start(link=lasting, consent=True, client=GUEST)
    assert timezone.now() < long_session.expires_at <= timezone.now() + timedelta(days=366)


def test_unknown_keys_lock_out_only_the_client_that_guessed(event, settings):
    settings.VISAGE_GUEST_LOOKUP_FAILURES_PER_CLIENT = (3, 600)
    code = _link(event).link.code
    guesser, neighbour = GUEST, Client(ip_hash="b" * 64, user_agent="other phone", device="device-2")
    for _ in range(4):  # the guest next door opens a right code as often as they like: no failures
        assert share_link_resolve(key=code, client=neighbour)
    for guess in range(3):
        with pytest.raises(LinkNotFound):
            share_link_resolve(key=f"ZZZZ{guess:04d}", client=guesser)
    with pytest.raises(RateLimited) as refused:  # even the right code, once the guesser is blocked
        share_link_resolve(key=code, client=guesser)
    assert 0 < refused.value.retry_after <= 601
    assert share_link_resolve(key=code, client=neighbour).code == code  # the limit is the guesser's alone


def test_a_code_copied_with_separators_and_a_full_stop_is_found(event):
    code = _link(event).link.code
    typed = f"{code[:4]} - {code[4:]}."  # "ABCD - EFGH." off a printed card: 12 characters
    assert len(typed) == 12 and share_link_resolve(key=typed, client=GUEST).code == code


def test_an_expired_link_is_gone_not_unknown(event):
    link = _link(event, expires_at=timezone.now() + timedelta(minutes=5)).link
    ShareLink.objects.filter(id=link.id).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(LinkGone) as gone:
        share_link_resolve(key=link.code, client=GUEST)
    assert gone.value.code == "link_expired"


def test_opening_a_link_reads_its_event_studio_and_person_in_one_query(event, django_assert_num_queries):
    person = Person.objects.create(studio=event.studio, event=event, name="Ana")
    code = _link(event, scope=Scope.PERSON, person=person).link.code
    with django_assert_num_queries(2):  # the client's failure count, then the link with what the page shows
        link = share_link_resolve(key=code, client=GUEST)
        assert (link.event.name, link.studio.id, link.person.name) == ("Gala", event.studio_id, "Ana")


@pytest.mark.parametrize("scope", [Scope.EVENT, Scope.SELFIE])
def test_a_link_revoked_or_expired_while_the_guest_was_on_it_spends_nothing(event, scope):
    """The guest resolved the link; the studio switches it off (or it runs out) before they start or search."""
    for change, state in (({"revoked_at": timezone.now()}, "revoked"),
                          ({"expires_at": timezone.now() - timedelta(seconds=1)}, "expired")):
        link = _link(event, scope=scope, expires_at=timezone.now() + timedelta(hours=1)).link
        opened = None if scope != Scope.SELFIE else guest_session_start(link=link, consent=True, client=GUEST)[0]
        ShareLink.objects.filter(id=link.id).update(**change)
        with pytest.raises(LinkGone) as gone:
            if opened is None:
                guest_session_start(link=link, consent=True, client=GUEST)
            else:
                guest_use_claim(session=opened)
        assert gone.value.code == f"link_{state}"
        link.refresh_from_db()
        assert link.use_count == 0


def test_a_guest_spends_a_use_of_their_link_only_and_the_studio_sees_when(event):
    mine, other = _link(event, scope=Scope.EVENT, max_uses=1).link, _link(event, scope=Scope.EVENT, max_uses=1).link
    before = timezone.now()
    guest_session_start(link=mine, consent=True, client=GUEST)
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.use_count, other.use_count) == (1, 0) and other.last_used_at is None
    assert before <= mine.last_used_at <= timezone.now()  # the links API's last_used_at
    guest_session_start(link=other, consent=True, client=GUEST)  # its one use is still there
