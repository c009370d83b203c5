"""Sign-in over the API: POST /api/v1/auth/token/ and its rotation (README "Public contract")."""
from datetime import timedelta


from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import conf
from core.api import public
from core.authentication import token_issue
from core.errors import DomainError
from core.logins import login_attempt
from core.schema import errors

_TOKEN = inline_serializer("Token", {
    "token": serializers.CharField(help_text="Send as `Authorization: Token <token>`."),
    "expires_at": serializers.DateTimeField(help_text="After this, sign in again (or rotate before).")})
_TOKEN_EXAMPLE = OpenApiExample("Token", response_only=True, value={
    "token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", "expires_at": "2026-07-21T09:12:03Z"})


@public("sign-in: answers only for the credentials given, throttled")
class TokenCreateApi(APIView):
    """POST {email|username, password} → {token, expires_at}; throttled per account and client."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TokenCreateInput"

        email = serializers.CharField(required=False, max_length=254)
        username = serializers.CharField(required=False, max_length=254)
        password = serializers.CharField(trim_whitespace=False, max_length=1024)

        def validate(self, attrs):
            if not (attrs.get("email") or attrs.get("username")):
                raise serializers.ValidationError("Give your email (or username) and password.")
            return attrs

    @extend_schema(operation_id="auth_token_create", summary="Get an API token", request=InputSerializer,
                   responses={200: _TOKEN, **errors(429)}, examples=[
                       OpenApiExample("Sign in", request_only=True,
                                      value={"email": "studio@example.com", "password": "correct horse battery"}),
                       _TOKEN_EXAMPLE],
                   description="Exchanges an email (or username) and password for the account's token, valid "
                   "30 days. Wrong credentials are a 400 (`wrong_credentials`); repeated failures per account "
                   "and per client are a 429 with Retry-After.")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        email = data.validated_data.get("email") or data.validated_data["username"]
        user = login_attempt(request=request._request, email=email, password=data.validated_data["password"])
        if user is None:
            raise WrongCredentials()
        return Response(_token_body(token_issue(user=user)))


@public("acts on the signed-in user's own token only")
class TokenRotateApi(APIView):
    """POST (signed in) → a new token; the one used so far stops working at once."""

    @extend_schema(operation_id="auth_token_rotate", summary="Replace your API token", request=None,
                   responses={200: _TOKEN}, examples=[_TOKEN_EXAMPLE],
                   description="Issues a new token; the one used so far stops working at once.")
    def post(self, request):
        return Response(_token_body(token_issue(user=request.user, rotate=True)))


class WrongCredentials(DomainError):
    status, code = 400, "wrong_credentials"
    message = "Wrong email or password."


def _token_body(token) -> dict:
    lifetime = timedelta(seconds=conf.api().api_token_seconds)
    return {"token": token.key, "expires_at": token.created + lifetime}
