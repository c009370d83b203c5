"""API routes of the core (mounted under /api/v1/, namespace "api")."""
from django.urls import path

from core import api_key_apis, team_apis
from core import converters  # noqa: F401  (registers <id:…>)

urlpatterns = [
    path("studio/api-keys/", api_key_apis.ApiKeyListCreateApi.as_view(), name="studio-api-keys"),
    path("studio/api-keys/<id:key_id>/", api_key_apis.ApiKeyRevokeApi.as_view(), name="studio-api-key-detail"),
    path("studio/members/", team_apis.TeamApi.as_view(), name="studio-members"),  # studio-self
    path("studio/members/<id:user_id>/", team_apis.TeamMemberApi.as_view(), name="studio-member-detail"),  # studio-self
]
