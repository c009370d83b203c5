"""OpenAPI pieces shared by every app: the one error shape (core.errors.error_body)."""
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

ERROR_SCHEMA = inline_serializer("Error", {"error": inline_serializer("ErrorBody", {
    "code": serializers.CharField(help_text="Stable, machine-readable code, e.g. pin_locked."),
    "message": serializers.CharField(help_text="A sentence a person can act on."),
    "details": serializers.JSONField(allow_null=True, help_text="Field errors for code=invalid; else null."),
})})
