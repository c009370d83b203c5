"""The studio's API keys page: create (the key is shown once, on the answer to the create), list,
revoke. Owners and admins only, like the API (core.api_key_apis)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.access import membership_can
from core.tenancy.api_keys import api_key_create, api_key_get, api_key_list, api_key_revoke
from core.tenancy.models import ApiKeyScope
from web.views.common import studio_page

SCOPE_HELP = {
    ApiKeyScope.READ: "reads events, photos, people and share links; changes nothing",
    ApiKeyScope.UPLOAD: "reads, creates events and uploads photos",
    ApiKeyScope.FULL: "everything an admin can do through the API, except managing API keys",
}


class ApiKeyForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the key is for, e.g. “Lightroom plug-in”.")
    scope = forms.ChoiceField(choices=[(scope.value, f"{scope.label}: {SCOPE_HELP[scope]}") for scope in ApiKeyScope],
                              widget=forms.RadioSelect, initial=ApiKeyScope.UPLOAD)


def _manager(membership):
    if membership is None:
        raise Http404("No studio found for this account.")
    if not membership_can(membership, "administer"):
        raise PermissionDenied("Only the studio's owners and admins manage API keys.")
    return membership.studio


def _page(request, studio, form, created=None, status=200):
    return render(request, "web/api_keys.html", {
        "studio": studio, "form": form, "created": created, "keys": api_key_list(studio=studio),
    }, status=status)


@require_http_methods(["GET", "POST"])
@studio_page
def api_keys(request, membership):
    studio = _manager(membership)
    if request.method == "GET":
        return _page(request, studio, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _page(request, studio, form, status=400)
    created = api_key_create(studio=studio, created_by=request.user, **form.cleaned_data)
    # Rendered, not redirected: the key is on this answer only (never in a cookie, a message or a URL).
    return _page(request, studio, ApiKeyForm(), created=created, status=201)


@require_POST
@studio_page
def api_key_revoke_page(request, membership, key_id: int):
    api_key = api_key_revoke(api_key=api_key_get(studio=_manager(membership), key_id=key_id))
    messages.success(request, f"API key “{api_key.name}” ({api_key.prefix}…) revoked: it no longer works.")
    return redirect("web:api-keys")
