"""The team page: everyone in the studio sees who is in it; owners and admins invite by e-mail, change
roles and remove members (core.team says who may do which, like the API: core.team_apis).
The invitation's link lands on InvitationView, Django's set-password view under the invitation's words."""
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core.access import DEFAULT_INVITE_ROLE, ROLE_SUMMARIES, membership_can
from core.api import public
from core.errors import DomainError
from core.tenancy.models import Role
from core.team import member_invite, member_remove, member_role_change, team_list
from web.forms import NewPasswordForm
from web.views.common import studio_page

class InviteForm(forms.Form):
    email = forms.EmailField(label="Email", error_messages={
        "required": "Enter the email address of the person to invite.",
        "invalid": "Enter a whole email address, like shooter@studio.com."},
        widget=forms.EmailInput(attrs={"autocomplete": "off", "placeholder": "second.shooter@studio.com"}))
    role = forms.ChoiceField(label="Role", initial=DEFAULT_INVITE_ROLE, widget=forms.RadioSelect,
                             choices=[(role.value, f"{role.label}: {ROLE_SUMMARIES[role]}") for role in Role])


def _studio(membership):
    if membership is None:
        raise Http404("No studio found for this account.")
    return membership.studio


def _page(request, membership, form, status=200):
    return render(request, "web/team.html", {
        "studio": membership.studio, "members": team_list(studio=membership.studio), "form": form,
        "can_manage": membership_can(membership, "administer"), "me": request.user.id,
        "roles": [(role.value, role.label) for role in Role],
    }, status=status)


@require_http_methods(["GET", "POST"])
@studio_page
def team(request, membership):
    _studio(membership)
    if request.method == "GET":
        return _page(request, membership, InviteForm())
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            member = member_invite(actor=membership, base_url=request.build_absolute_uri("/"), **form.cleaned_data)
        except DomainError as error:
            form.add_error("email" if error.code == "invalid" else None, error.message)
        else:
            messages.success(request, f"Invitation sent to {member.email} ({Role(member.role).label.lower()}).")
            return redirect("web:team")
    return _page(request, membership, form, status=400)


@require_POST
@studio_page
def member_role_page(request, membership, user_id: int):
    _studio(membership)
    try:
        member = member_role_change(actor=membership, user_id=user_id, role=request.POST.get("role", ""))
    except DomainError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        messages.error(request, error.message)
    else:
        messages.success(request, f"{member.email} is now {Role(member.role).label.lower()}.")
    return redirect("web:team")


@require_POST
@studio_page
def member_remove_page(request, membership, user_id: int):
    _studio(membership)
    try:
        member_remove(actor=membership, user_id=user_id)
    except DomainError as error:
        if error.status == 404:
            raise Http404(error.message) from None
        messages.error(request, error.message)
    else:
        messages.success(request, "Removed from the studio. Any API keys they created here stopped working.")
    return redirect("web:team")


@public("Django's signed password-reset token is the credential; touches only that user")
class InvitationView(auth_views.PasswordResetConfirmView):
    """An invited team member chooses their password (the invitation's one-time, expiring token)."""

    template_name = "web/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("web:password-reset-complete")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        studio = self.user.memberships.select_related("studio").order_by("created_at").first() if self.user else None
        context["invitation"] = studio.studio.name if studio else "your studio"
        return context
