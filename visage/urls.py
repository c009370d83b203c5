from csp.decorators import csp_replace
from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from django.views import defaults
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.api import TokenCreateApi, TokenRotateApi, public
from core.errors import error_body
from core.health import health

# Swagger UI loads from its CDN with an inline bootstrap script: only this page gets a looser CSP.
_SWAGGER_CSP = {"script-src": ["'self'", "'unsafe-inline'", "https://cdn.jsdelivr.net"],
                "style-src": ["'self'", "'unsafe-inline'", "https://cdn.jsdelivr.net"],
                "img-src": ["'self'", "data:", "https://cdn.jsdelivr.net"]}

api_patterns = [
    path("auth/token/", TokenCreateApi.as_view(), name="auth-token"),
    path("auth/token/rotate/", TokenRotateApi.as_view(), name="auth-token-rotate"),
    path("", include("events.urls")),
    path("", include("recognition.urls")),
    path("", include("sharing.urls")),
    path("", include("core.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", public("the OpenAPI description")(SpectacularAPIView.as_view()), name="schema"),
    path("api/docs/", public("the API docs page")(csp_replace(_SWAGGER_CSP)(SpectacularSwaggerView.as_view(url_name="schema"))), name="api-docs"),
    path("healthz", public("liveness")(lambda request: JsonResponse({"ok": True})), name="healthz"),
    path("health/", health, name="health"),
    path("", include("sharing.urls_pages")),
    path("", include("web.urls")),
]


def handler404(request, exception):
    """Unknown URLs under /api/ answer in the API's error shape; pages get the usual 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", "No such endpoint."), status=404)
    return defaults.page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("server_error", "Something went wrong on our side."), status=500)
    return defaults.server_error(request)
