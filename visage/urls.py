from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from visage.api import TokenCreateApi

api_patterns = [
    path("auth/token/", TokenCreateApi.as_view(), name="auth-token"),
    path("", include("events.urls")),
    path("", include("recognition.urls")),
    path("", include("sharing.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_patterns, "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("healthz", lambda request: JsonResponse({"ok": True}), name="healthz"),
    path("", include("sharing.urls_pages")),
    path("", include("web.urls")),
]
