"""API keys stop working when the member who created them leaves the studio or is deactivated.

Before: a key kept working after its creator was removed from the studio and deactivated (the
key acts through its own service account, whose membership nobody touched).
"""
import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from core.tenancy.models import Membership, Role, StudioApiKey, User
from core.tenancy.services import membership_add, membership_remove, user_deactivate
from tests.api.helpers import key_client, new_key

EVENTS = "/api/v1/events/"


@pytest.fixture
def dana(studio_a, studio_b):
    """An admin of both studios, with a key in each; the studios' owners hold keys of their own."""
    membership_add(studio=studio_a, email="dana@ab.example", password="pw-dana-123", role=Role.ADMIN)
    return membership_add(studio=studio_b, email="dana@ab.example", password=None, role=Role.ADMIN).user


@pytest.fixture
def keys(studio_a, studio_b, alice, charlie, dana):
    return {
        "dana-a": new_key(studio_a, "full", by=dana)[1], "dana-b": new_key(studio_b, "upload", by=dana)[1],
        "alice-a": new_key(studio_a, "read", by=alice)[1], "charlie-b": new_key(studio_b, "read", by=charlie)[1],
    }


def _working(keys) -> set[str]:
    return {name for name, key in keys.items() if key_client(key).get(EVENTS).status_code == 200}


def test_removing_a_member_revokes_their_keys_in_that_studio_only(studio_a, dana, keys):
    assert _working(keys) == set(keys)
    assert membership_remove(studio=studio_a, user=dana)
    assert _working(keys) == {"dana-b", "alice-a", "charlie-b"}
    refused = key_client(keys["dana-a"]).get(EVENTS)
    assert refused.status_code == 401 and "no longer a member" in refused.json()["error"]["message"]
    revoked = StudioApiKey.objects.get(studio=studio_a, created_by=dana)
    assert revoked.revoked_at is not None and revoked.revoked_reason == "its creator is no longer a member of the studio"


def test_deactivating_an_account_revokes_every_key_it_created(dana, keys):
    user_deactivate(user=dana)
    assert _working(keys) == {"alice-a", "charlie-b"}
    assert set(StudioApiKey.objects.filter(created_by=dana).values_list("revoked_reason", flat=True)) == {
        "its creator's account was deactivated"}


@pytest.mark.parametrize("how", ["membership deleted", "account deactivated"])
def test_a_change_made_around_the_services_is_caught_when_the_key_is_used(how, studio_a, dana, keys):
    """Removed in the database or an admin tool that skips the services: the key still stops."""
    if how == "membership deleted":
        Membership.objects.filter(studio=studio_a, user=dana).delete()
        expected = {"dana-b", "alice-a", "charlie-b"}
    else:
        User.objects.filter(id=dana.id).update(is_active=False)
        expected = {"alice-a", "charlie-b"}
    assert _working(keys) == expected
    assert StudioApiKey.objects.filter(created_by=dana, revoked_at__isnull=False).count() == len({"dana-a", "dana-b"} - expected)


def test_the_django_admin_removal_and_deactivation_use_the_services(studio_a, studio_b, dana, keys, alice):
    request = RequestFactory().post("/admin/")
    request.user = alice
    membership_admin = site._registry[Membership]
    membership_admin.delete_queryset(request, Membership.objects.filter(studio=studio_b, user=dana))
    assert StudioApiKey.objects.get(studio=studio_b, created_by=dana).revoked_at is not None
    assert StudioApiKey.objects.get(studio=studio_a, created_by=dana).revoked_at is None
    user_admin = site._registry[User]
    form = type("Form", (), {"changed_data": ["is_active"]})()
    dana.is_active = False
    user_admin.save_model(request, dana, form, change=True)
    assert StudioApiKey.objects.get(studio=studio_a, created_by=dana).revoked_at is not None
    assert _working(keys) == {"alice-a", "charlie-b"}
