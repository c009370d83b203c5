"""The studio's look on its guest pages: the bar's colour (with its contrast ink) and the logo, served
through the guest's link like every other guest page (sharing.views.guest_page)."""
from django.http import Http404, HttpResponse

from sharing.selectors import studio_policy_get
from sharing.services.studio_settings import brand_ink, studio_logo_bytes
from sharing.views import guest_page


def guest_brand(link) -> dict | None:
    """{color, ink, has_logo, name} of the link's studio for the guest templates; None: Visage's own look."""
    if not getattr(link, "studio_id", None):  # a page without a link (the code entry, an error page)
        return None
    policy = studio_policy_get(studio=link.studio)
    if not policy.brand_color and not policy.logo_key:
        return None
    return {"color": policy.brand_color, "ink": brand_ink(policy.brand_color) if policy.brand_color else "",
            "has_logo": bool(policy.logo_key), "name": link.studio.name}


@guest_page
def guest_logo(request, key: str, guest):
    content = studio_logo_bytes(studio_id=guest.link.studio_id)
    if content is None:
        raise Http404("No logo.")
    response = HttpResponse(content, content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response
