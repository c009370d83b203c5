"""{% guest_brand link as brand %}: the studio's colour and logo for the guest pages' bar (sharing.brand)."""
from django import template

from sharing.brand import guest_brand as brand_of

register = template.Library()


@register.simple_tag
def guest_brand(link):
    return brand_of(link)
