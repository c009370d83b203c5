"""Start-up checks: production must not run without master keys. Registered under the "visage"
tag, so commands that need no keys (collectstatic while building an image) do not run it."""
from django.conf import settings
from django.core.checks import Error, register


@register("visage", deploy=False)
def master_keys_configured(app_configs, **kwargs):
    if getattr(settings, "VISAGE_REQUIRE_MASTER_KEYS", False) and not settings.VISAGE_MASTER_KEYS:
        return [Error("VISAGE_MASTER_KEYS is not set.", hint="python manage.py generate_master_key",
                      id="visage.E001")]
    return []
