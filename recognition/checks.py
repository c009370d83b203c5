"""Start-up checks: production must not run without master keys. Registered under the "visage"
tag, so commands that need no keys (collectstatic while building an image) do not run it."""
from django.core.checks import Error, register

from recognition import conf


@register("visage", deploy=False)
def master_keys_configured(app_configs, **kwargs):
    keys = conf.keys()
    if keys.require_master_keys and not keys.master_keys:
        return [Error("VISAGE_MASTER_KEYS is not set.", hint="python manage.py generate_master_key",
                      id="visage.E001")]
    return []
