""""Forgot password?": Django's own views and one-time tokens; only the forms, templates and throttle are ours.

Every address gets the same answer (sent to the same "check your email" page), whether it has an
account or not, and whether or not its share of e-mails was used up (core.password_resets)."""
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy

from core import ratelimit
from core.api import public
from core.password_resets import password_reset_allowed
from web.forms import NewPasswordForm, PasswordResetRequestForm, duration_words


@public("asks for a reset e-mail; answers the same for every address")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "web/password_reset_form.html"
    form_class = PasswordResetRequestForm
    email_template_name = "web/emails/password_reset.txt"
    subject_template_name = "web/emails/password_reset_subject.txt"
    success_url = reverse_lazy("web:password-reset-sent")

    @property
    def extra_email_context(self):
        return {"timeout_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}

    def form_valid(self, form):
        try:
            allowed = password_reset_allowed(request=self.request, email=form.cleaned_data["email"])
        except ratelimit.Throttled as exc:
            form.add_error(None, f"Too many requests from your network. Please wait {duration_words(exc.retry_after)} "
                                 "and try again.")
            return self.form_invalid(form)
        if not allowed:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


@public("a static page")
class PasswordResetSentView(auth_views.PasswordResetDoneView):
    template_name = "web/password_reset_sent.html"


@public("Django's signed password-reset token is the credential; touches only that user")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "web/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("web:password-reset-complete")


@public("a static page")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "web/password_reset_complete.html"
