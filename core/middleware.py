"""Response headers every page gets. The Content-Security-Policy itself comes from django-csp
(settings.CONTENT_SECURITY_POLICY); browsers have no Permissions-Policy default, so it is set here.
Django's CommonMiddleware is replaced by one whose slash redirects keep every request's method."""
from django.conf import settings
from django.http import JsonResponse
from django.middleware.common import CommonMiddleware
from django.shortcuts import render

from core.errors import error_body

SLASH_REDIRECTED = ("GET", "HEAD")


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.VISAGE_PERMISSIONS_POLICY)
        return response


class SafeAppendSlashMiddleware(CommonMiddleware):
    """APPEND_SLASH redirects only GET and HEAD. A redirect would turn a POST, PATCH or DELETE into a GET
    without its body, and under DEBUG Django raises instead (its debug page on `make run`): those get a
    404 that names the address with the slash, in the API's error shape under /api/."""

    def process_request(self, request):
        if request.method not in SLASH_REDIRECTED and super().should_redirect_with_slash(request):
            message = f"No such endpoint. The address ends with a slash: {request.path}/"
            if request.path.startswith("/api/"):
                return JsonResponse(error_body("not_found", message), status=404)
            return render(request, "problem.html", {"title": "Not found", "message": message}, status=404)
        return super().process_request(request)

    def should_redirect_with_slash(self, request):
        return request.method in SLASH_REDIRECTED and super().should_redirect_with_slash(request)
