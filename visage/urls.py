from csp.decorators import csp_update
from django.contrib import admin
from django.core.exceptions import SuspiciousOperation
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import include, path
from django.views import defaults
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from core.api import public
from core.token_apis import TokenCreateApi, TokenRotateApi
from core.api_errors import request_refusal
from core.errors import error_body
from core.health import health

api_patterns = [
    path("auth/token/", TokenCreateApi.as_view(), name="auth-token"),
    path("auth/token/rotate/", TokenRotateApi.as_view(), name="auth-token-rotate"),
    path("", include("events.urls")),
    path("", include("recognition.urls")),
    path("", include("sharing.urls")),
    path("", include("webhooks.urls")),
    path("", include("camera.urls")),
    path("", include("core.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", public("the OpenAPI description")(SpectacularAPIView.as_view()), name="schema"),
    # Swagger UI and ReDoc from drf-spectacular-sidecar's static files (no outside host). Swagger runs under the
    # site's strict CSP (the split view serves its init code as a script file, ?script); ReDoc's styled-components
    # inject <style> elements at run time and its search runs in a blob: worker, so its page alone adds style-src
    # 'unsafe-inline' and worker-src blob: (script-src stays 'self').
    path("api/docs/", public("the API docs page")(SpectacularSwaggerSplitView.as_view(
        url_name="schema", template_name="api_docs/swagger_ui.html")), name="api-docs"),
    path("api/redoc/", public("the API reference page")(csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})(
        SpectacularRedocView.as_view(url_name="schema", template_name="api_docs/redoc.html"))), name="api-redoc"),
    path("healthz", public("liveness")(lambda request: JsonResponse({"ok": True})), name="healthz"),
    path("health/", health, name="health"),
    path("", include("sharing.urls_pages")),
    path("", include("web.urls")),
]


def handler400(request, exception):
    """A request Django would not read (e.g. a form with too many fields): the API's error shape under
    /api/, a page saying what was wrong elsewhere."""
    if isinstance(exception, SuspiciousOperation):
        status, code, message = request_refusal(exception)
    else:
        status, code, message = 400, "malformed_request", "The request could not be read."
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(code, message), status=status)
    return render(request, "problem.html", {"title": "Bad request", "message": message}, status=status)


def handler403(request, exception):
    """A refusal outside DRF (a page's role check): the API's error shape under /api/, the product's
    403 page (templates/403.html, with the refusal's reason) elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("permission_denied", str(exception) or "You may not do this."), status=403)
    return defaults.permission_denied(request, exception)


def handler404(request, exception):
    """Unknown URLs under /api/ answer in the API's error shape; pages get the product's 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", "No such endpoint."), status=404)
    try:
        return defaults.page_not_found(request, exception)
    except SuspiciousOperation as refused:  # its CSRF wrapper reads the form, which may be too large to read
        return handler400(request, refused)


def handler500(request):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("server_error", "Something went wrong on our side."), status=500)
    return defaults.server_error(request)
