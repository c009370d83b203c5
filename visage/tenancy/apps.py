from django.apps import AppConfig


class TenancyConfig(AppConfig):
    name = "visage.tenancy"
    label = "tenancy"
    verbose_name = "Studios and members"
