"""Merge suggestions for the people page: "are these the same person?", most similar first, and
"not the same person" (dismiss), which is remembered and can be taken back (restore)."""
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from core.schema import ERROR_SCHEMA
from events.api import EventApi
from recognition.services.people import event_merge_suggestions
from recognition.services.suggestions import merge_suggestion_dismiss, merge_suggestion_restore

_NOT_FOUND = OpenApiResponse(ERROR_SCHEMA, description="No such event for you, or a person is not in this event.")
_FORBIDDEN = OpenApiResponse(ERROR_SCHEMA, description="Your role on this event may view people but not curate them.")
_INVALID = OpenApiResponse(ERROR_SCHEMA, description="`person_ids` must name exactly two different people.")
_PAIR_EXAMPLE = OpenApiExample("Two people", value={"person_ids": [412, 415]}, request_only=True)


class SuggestionOutputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "MergeSuggestion"

    person_ids = serializers.ListField(child=serializers.IntegerField(), help_text="The two people, as in /people/.")
    similarity = serializers.FloatField(help_text="Cosine of the two people's mean faces (centred on the event's); "
                                                  "higher is more alike.")


class PairInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "PersonPairInput"

    person_ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=2, max_length=2,
                                       help_text="Two different people of this event.")


class MergeSuggestionListApi(EventApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MergeSuggestionQuery"

        limit = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)

    @extend_schema(
        operation_id="people_suggestions_list", summary="List pairs of people who may be the same person",
        description="Pairs of this event's people whose faces look alike on average, most similar first, for an "
                    "\"Are these the same person?\" prompt. Pairs that nothing can join (two faces in one photo, a "
                    "rejected face, a dismissed suggestion) are never listed. Merge a pair with "
                    "`POST /people/{id}/merge/`, or answer \"not the same\" with `POST …/suggestions/dismiss/`.",
        parameters=[InputSerializer], responses={200: SuggestionOutputSerializer(many=True), 404: _NOT_FOUND},
        examples=[OpenApiExample("Two suggestions", response_only=True, value=[
            {"person_ids": [412, 415], "similarity": 0.61}, {"person_ids": [398, 430], "similarity": 0.37}])])
    def get(self, request, event_id: int):
        query = self.InputSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        pairs = event_merge_suggestions(event=self.event, limit=query.validated_data["limit"])
        rows = [{"person_ids": [a, b], "similarity": round(similarity, 4)} for a, b, similarity in pairs]
        return Response(SuggestionOutputSerializer(rows, many=True).data)


class MergeSuggestionDismissApi(EventApi):
    required = "curate"

    @extend_schema(
        operation_id="people_suggestions_dismiss", summary="Say two people are not the same person",
        description="Remembers that the two people differ: the pair is never suggested again and automatic "
                    "grouping never merges them. Dismissing a pair twice is harmless. Take it back with "
                    "`POST …/suggestions/restore/`.",
        request=PairInputSerializer, examples=[_PAIR_EXAMPLE],
        responses={204: OpenApiResponse(description="Dismissed."), 400: _INVALID, 403: _FORBIDDEN, 404: _NOT_FOUND})
    def post(self, request, event_id: int):
        data = PairInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        merge_suggestion_dismiss(event=self.event, person_ids=data.validated_data["person_ids"], user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MergeSuggestionRestoreApi(EventApi):
    required = "curate"

    @extend_schema(
        operation_id="people_suggestions_restore", summary="Undo \"not the same person\"",
        description="Forgets a dismissal: the two people may be suggested, and merged by automatic grouping, again. "
                    "Answers 204 whether or not the pair was dismissed.",
        request=PairInputSerializer, examples=[_PAIR_EXAMPLE],
        responses={204: OpenApiResponse(description="Restored."), 400: _INVALID, 403: _FORBIDDEN, 404: _NOT_FOUND})
    def post(self, request, event_id: int):
        data = PairInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        merge_suggestion_restore(event=self.event, person_ids=data.validated_data["person_ids"])
        return Response(status=status.HTTP_204_NO_CONTENT)
