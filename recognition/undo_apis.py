"""Undo for curation: the handle every change answers with (`undo`: its id and label), the `scope`
a change records (the page it was made on), and the undo endpoint (services.undo)."""
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response

from core.fields import IdField
from core.schema import errors
from events.api import EventApi
from recognition import api_examples as ex
from recognition.services.undo import curation_undo

SCOPE_PATTERN = r"^[a-z][a-z-]{0,29}(:\d{1,12})?$"


def undo_scope_field() -> serializers.RegexField:
    return serializers.RegexField(
        SCOPE_PATTERN, required=False, default="api",
        help_text="The page this change is made on, e.g. `people` or `person:12` (default `api`): "
                  "`POST …/people/undo/` `{scope}` undoes only that page's latest change.")


UNDO_SCHEMA = inline_serializer("CurationUndoHandle", {
    "action_id": serializers.IntegerField(help_text="Undo exactly this change: `POST …/people/undo/` `{action_id}`."),
    "label": serializers.CharField(help_text="What the change did, in words: “merged Person 9 into Ana”.")})


def undo_payload(action) -> dict:
    return {"action_id": action.id, "label": action.label}


class CurationUndoApi(EventApi):
    required = "curate"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "CurationUndoInput"

        action_id = IdField(required=False, help_text="Undo this change (from a change's `undo.action_id`).")
        scope = serializers.RegexField(SCOPE_PATTERN, required=False,
                                       help_text="Without `action_id`: undo this page's latest change.")

    @extend_schema(operation_id="people_undo", summary="Undo a curation change", request=InputSerializer,
                   responses={200: inline_serializer("CurationUndone", {
                       "undone": serializers.CharField(help_text="The kind of action undone, e.g. merge."),
                       "action_id": serializers.IntegerField(),
                       "label": serializers.CharField(help_text="What was undone, in words.")}),
                       **errors(400, 404, 409)}, examples=ex.UNDO,
                   description="Reverts one merge, split, rename, hide or rejection: `action_id` names it, else "
                   "`scope` asks for that page's latest, else the event's latest. 409 `undo_blocked` when a later "
                   "change still in force touched the same people or faces (the message names it: undo it first); "
                   "400 when there is nothing to undo.")
    def post(self, request, event_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = curation_undo(event=self.event, **data.validated_data)
        return Response({"undone": action.kind, "action_id": action.id, "label": action.label})
