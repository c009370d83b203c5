""""Forgot password?": Django's views and one-time tokens, mail from Celery through a real SMTP server
(aiosmtpd), the same answer for every address, and throttling per address and per client."""
import re

import pytest
from django.test import Client

from core.tenancy.models import User
from tests.smtp_server import smtp_server  # noqa: F401 - fixture

LINK = re.compile(r"https?://[^/\s]+(/password-reset/[^/\s]+/[^/\s]+/)")


def _ask(client, email, capture):
    with capture(execute=True):
        return client.post("/password-reset/", {"email": email})


def test_the_login_page_offers_a_reset(client, db):
    page = client.get("/login/").content.decode()
    assert 'href="/password-reset/"' in page and "Forgot password?" in page


def test_a_member_resets_their_password_by_email_once(alice, smtp_server, django_capture_on_commit_callbacks):
    client = Client()
    response = _ask(client, "ALICE@a.example", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == "/password-reset/sent/"
    [mail] = smtp_server.to("alice@a.example")
    assert mail["Subject"] == "Reset your Visage password"
    path = LINK.search(smtp_server.body(mail)).group(1)

    form = client.get(path, follow=True)  # Django moves the token into the session, then shows the form
    assert form.status_code == 200 and "New password" in form.content.decode()
    done = client.post(form.redirect_chain[-1][0], {"new_password1": "a-new-long-pass-42",
                                                    "new_password2": "a-new-long-pass-42"})
    assert done.status_code == 302 and done["Location"] == "/password-reset/done/"
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-pass-42") and not alice.check_password("pw-alice-123")

    again = Client().get(path, follow=True).content.decode()  # single use: the password it signed changed
    assert "This link has been used or has expired" in again
    signed_in = Client().post("/login/", {"username": "alice@a.example", "password": "a-new-long-pass-42"})
    assert signed_in.status_code == 302 and signed_in["Location"] == "/"


def test_an_unknown_address_gets_the_same_answer_and_no_mail(alice, smtp_server, django_capture_on_commit_callbacks):
    known = _ask(Client(), "alice@a.example", django_capture_on_commit_callbacks)
    unknown = _ask(Client(), "nobody@a.example", django_capture_on_commit_callbacks)
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    sent_page = Client().get(unknown["Location"]).content.decode()
    assert "If that address belongs to an account" in sent_page
    assert [m["To"] for m in smtp_server.messages] == ["alice@a.example"]


def test_readable_errors_on_the_new_password_form(alice, django_capture_on_commit_callbacks, mailoutbox):
    client = Client()
    _ask(client, "alice@a.example", django_capture_on_commit_callbacks)
    path = LINK.search(mailoutbox[0].body).group(1)
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    page = client.post(form_url, {"new_password1": "abc", "new_password2": "abd"}).content.decode()
    assert "new_password2" not in re.sub(r'(id|name|for|aria-describedby)="[^"]*"', "", page)  # labels, not field names
    assert "Repeat the new password" in page and "didn’t match" in page


@pytest.mark.parametrize("email", ["alice@a.example", "nobody@a.example"])
def test_one_address_gets_a_few_mails_an_hour_and_the_same_answer_after(email, alice, settings, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    settings.VISAGE_PASSWORD_RESETS_PER_ADDRESS = (2, 3600)
    answers = []
    for n in range(4):
        client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")  # different networks: the address's own limit
        answers.append(_ask(client, email, django_capture_on_commit_callbacks)["Location"])
    assert answers == ["/password-reset/sent/"] * 4
    assert len(mailoutbox) == (2 if email == "alice@a.example" else 0)


def test_one_network_asking_too_often_is_told_to_wait(alice, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.VISAGE_PASSWORD_RESETS_PER_CLIENT = (3, 3600)
    client = Client(REMOTE_ADDR="10.9.9.9")
    for n in range(3):
        assert _ask(client, f"someone{n}@x.example", django_capture_on_commit_callbacks).status_code == 302
    refused = _ask(client, "alice@a.example", django_capture_on_commit_callbacks)
    assert refused.status_code == 200 and "Too many requests from your network" in refused.content.decode()
    assert mailoutbox == []
    assert User.objects.get(email="alice@a.example").check_password("pw-alice-123")
