"""The studio's guest-data retention policy: /api/v1/studio/sharing-policy/."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.api import StudioApi
from core.access import membership_can
from sharing import api_examples as ex
from sharing import selectors
from sharing.services.retention import studio_policy_set


class StudioPolicyApi(StudioApi):
    """The studio's retention period: everyone in the studio reads it, owners and admins change it."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StudioPolicyInput"

        retention_days = serializers.IntegerField(min_value=1, max_value=3650)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "StudioPolicyOutput"

        retention_days = serializers.IntegerField()

    @extend_schema(operation_id="studio_sharing_policy_get", summary="Get the studio's retention period",
                   responses=OutputSerializer, examples=ex.POLICY,
                   description="How many days guests' data (sessions, consent records, search logs) is kept.")
    def get(self, request):
        return Response(self.OutputSerializer(selectors.studio_policy_get(studio=self.studio)).data)

    @extend_schema(operation_id="studio_sharing_policy_update", summary="Change the studio's retention period",
                   request=InputSerializer, responses=OutputSerializer, examples=ex.POLICY,
                   description="1 to 3650 days. Owners and admins only.")
    def patch(self, request):
        if not membership_can(self.membership, "administer"):
            raise PermissionDenied("Only the studio's owners and admins change the retention period.")
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        policy = studio_policy_set(studio=self.studio, retention_days=data.validated_data["retention_days"])
        return Response(self.OutputSerializer(policy).data)
