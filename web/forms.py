"""Forms for the server-rendered pages. Validation of business rules stays in the services."""
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.db import transaction
from django.template import loader

from core import ratelimit
from core.logins import login_attempt


def duration_words(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class EmailLoginForm(AuthenticationForm):
    """Django's login form, shown as an email field (the User model signs in by email)."""

    username = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email", "placeholder": "you@studio.com"}),
    )
    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    error_messages = {
        "invalid_login": "That email and password don't match an account. Check both and try again.",
        "inactive": "This account is inactive.",
    }

    def clean_username(self):
        # Emails are stored lower-case (UserManager); accept any case at the door.
        return self.cleaned_data["username"].strip().lower()

    def clean(self):
        """Django's check, through the shared throttle (core.logins) instead of authenticate()."""
        email, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if email and password:
            try:
                self.user_cache = login_attempt(request=self.request, email=email, password=password)
            except ratelimit.Throttled as exc:
                raise forms.ValidationError(
                    f"Too many sign-in attempts. Please wait {duration_words(exc.retry_after)} and try again.",
                    code="throttled") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class PasswordResetRequestForm(PasswordResetForm):
    """Django's "forgot password" form; its e-mail goes out from Celery after the answer (core.tasks.mail_send),
    so a known and an unknown address take the same time to answer."""

    email = forms.EmailField(
        label="Email", max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email", "placeholder": "you@studio.com"}),
        error_messages={"required": "Enter the email address you sign in with.",
                        "invalid": "Enter a whole email address, like you@studio.com."},
    )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        from core.tasks import mail_send  # tasks import the services

        subject = " ".join(loader.render_to_string(subject_template_name, context).split())
        body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(lambda: mail_send.delay(subject, body, [to_email]))


class NewPasswordForm(SetPasswordForm):
    """Django's set-password form (reset link, team invitation) with the product's labels."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "Repeat the new password"
        self.fields["new_password1"].help_text = "At least 8 characters; not a common password, not like your email."


class EventForm(forms.Form):
    name = forms.CharField(
        label="Event name", max_length=200, error_messages={"required": "Give the event a name."},
        widget=forms.TextInput(attrs={"placeholder": "Ana & Ben's wedding", "autocomplete": "off"}),
    )
    starts_on = forms.DateField(
        label="Date", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Optional. Shown to guests on the event's page.",
    )
