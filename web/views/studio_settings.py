"""The studio settings page: name, colour and logo on the guest pages, watermark text, retention and
the defaults of new share links. Owners and admins, like the API (sharing.studio_settings_apis)."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.access import membership_can
from core.errors import DomainError
from sharing.models import Download
from sharing.selectors import studio_policy_get
from sharing.services import studio_settings as service
from web.views.common import studio_page


class StudioSettingsForm(forms.Form):
    name = forms.CharField(label="Studio name", max_length=120,
                           error_messages={"required": "Give the studio a name."})
    brand_color = forms.CharField(label="Colour on guest pages", required=False, max_length=7,
                                  widget=forms.TextInput(attrs={"placeholder": "#0f766e", "autocomplete": "off",
                                                                "spellcheck": "false"}),
                                  help_text="#rrggbb. The bar at the top of your guests' pages; its text turns black "
                                            "or white, whichever reads better. Empty: Visage's colours.")
    logo = forms.FileField(label="Logo", required=False,
                           widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
                           help_text="PNG, JPEG or WebP, up to 1 MB. Shown on your guests' pages.")
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)
    watermark_text = forms.CharField(label="Watermark text", required=False, max_length=60,
                                     help_text="On previews of links with “Watermark previews”. Empty: the studio's name.")
    retention_days = forms.IntegerField(label="Keep face data for (days)", min_value=1, max_value=3650,
                                        help_text="After an event, its face data is destroyed this many days on.")
    link_expiry_days = forms.IntegerField(label="New links expire after (days)", required=False, min_value=1,
                                          max_value=3650, help_text="Empty: new links do not expire.")
    link_max_uses = forms.IntegerField(label="New links: maximum guests", required=False, min_value=1,
                                       max_value=100000, help_text="Empty: no limit.")
    link_download = forms.ChoiceField(label="New links: downloads", choices=Download.choices)
    link_watermark = forms.BooleanField(label="New links watermark previews", required=False)
    link_pin_required = forms.BooleanField(label="New links need a PIN", required=False)
    consent_note = forms.CharField(label="Your words on the consent page", required=False, max_length=1000,
                                   widget=forms.Textarea(attrs={"rows": 3}),
                                   help_text="Shown to guests under Visage's consent text, before their selfie. "
                                             "Each change is recorded with the consents given after it.")


def _manager(membership):
    if membership is None:
        raise Http404("No studio found for this account.")
    if not membership_can(membership, "administer"):
        raise PermissionDenied("Only the studio's owners and admins change its settings.")
    return membership.studio


def _initial(studio) -> dict:
    policy = studio_policy_get(studio=studio)
    return {"name": studio.name, **{field: getattr(policy, field) for field in service.EDITABLE}}


@require_http_methods(["GET", "POST"])
@studio_page
def studio_settings(request, membership):
    studio = _manager(membership)
    form = StudioSettingsForm(request.POST or None, request.FILES or None, initial=_initial(studio))
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        logo, remove_logo = values.pop("logo"), values.pop("remove_logo")
        try:
            service.studio_settings_update(studio=studio, **values)
        except DomainError as error:
            form.add_error(None, error.message)
        try:
            if logo:
                service.studio_logo_set(studio=studio, content=logo.read(service.LOGO_MAX_BYTES + 1))
            elif remove_logo:
                service.studio_logo_clear(studio=studio)
        except DomainError as error:
            form.add_error("logo", error.message)
        if not form.errors:
            messages.success(request, "Studio settings saved.")
            return redirect("web:studio-settings")
    policy = studio_policy_get(studio=studio)
    return render(request, "web/studio_settings.html", {
        "studio": studio, "form": form, "has_logo": bool(policy.logo_key),
        "brand": {"color": policy.brand_color, "ink": service.brand_ink(policy.brand_color)} if policy.brand_color else None,
    }, status=400 if form.errors else 200)


@studio_page
def studio_logo(request, membership):
    """The logo as stored, for the settings page's preview (any member of the studio)."""
    content = service.studio_logo_bytes(studio_id=membership.studio_id) if membership else None
    if content is None:
        raise Http404("No logo.")
    return HttpResponse(content, content_type="image/png")
