"""Response headers every page gets. The Content-Security-Policy itself comes from django-csp
(settings.CONTENT_SECURITY_POLICY); browsers have no Permissions-Policy default, so it is set here."""
from django.conf import settings


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.VISAGE_PERMISSIONS_POLICY)
        return response
