"""Merge suggestions for the people page: "are these the same person?", most similar first."""
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from events.api import EventApi
from recognition.services.people import event_merge_suggestions


class MergeSuggestionListApi(EventApi):
    """Pairs of the event's people whose mean faces are close (recognition.ml.calibration's
    suggest threshold) and that nothing keeps apart; merging is POST /people/{id}/merge/."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MergeSuggestionQuery"

        limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MergeSuggestion"

        person_ids = serializers.ListField(child=serializers.IntegerField())
        similarity = serializers.FloatField(help_text="Cosine of the two people's mean faces (centred on the event's).")

    @extend_schema(parameters=[InputSerializer], responses=OutputSerializer(many=True))
    def get(self, request, event_id: int):
        query = self.InputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        pairs = event_merge_suggestions(event=self.event, limit=query.validated_data["limit"])
        rows = [{"person_ids": [a, b], "similarity": round(similarity, 4)} for a, b, similarity in pairs]
        return Response(self.OutputSerializer(rows, many=True).data)
