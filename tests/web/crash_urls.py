"""The site's routes plus one page that fails, to see the 500 page Django renders for it."""
from django.urls import path

from core.api import public
from visage.urls import handler400, handler403, handler404, handler500, urlpatterns as site  # noqa: F401


@public("a test page that raises")
def crash(request):
    raise RuntimeError("boom")


urlpatterns = [*site, path("crash/", crash)]
