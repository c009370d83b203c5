from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "core.tenancy"
    label = "tenancy"
    verbose_name = "Studios and members"
