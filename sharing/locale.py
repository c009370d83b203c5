"""Guest pages speak the guest's language; studio pages and the API stay in LANGUAGE_CODE.

Django's LocaleMiddleware (cookie set by the language switcher, then Accept-Language) for the guest
pages only: the studio pages are not translated, and Django's own form errors in French around
English labels would be worse than English throughout.
"""
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

GUEST_PAGE_PREFIXES = ("/s/", "/organizer/set-password/")


def is_guest_page(path: str) -> bool:
    return path.startswith(GUEST_PAGE_PREFIXES)


class GuestLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if is_guest_page(request.path_info):
            return super().process_request(request)
        # Activated on every request: a thread that served a guest in French must not carry it on.
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return None

    def process_response(self, request, response):
        if not is_guest_page(request.path_info):
            return response
        return super().process_response(request, response)
