"""Fixing faces by hand over the API: a photo's faces (and drawing a missed one), the faces no
person holds with suggestions, assign / set aside / bring back, a person's cover, undo by id.
Every lookup goes through the event access layer (another studio's id is a 404)."""
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response

from core.fields import IdField
from core.schema import errors
from events.api import EventApi, PhotoApi
from recognition import face_selectors
from recognition.apis import PersonApi
from recognition.services import face_edits

_FACE = {"id": 5301, "photo_id": 1042, "box": [812.0, 440.5, 1010.0, 688.0], "usable": True, "quality_reasons": [],
         "added_by_hand": False, "set_aside": "", "person": {"id": 31, "name": "Ana"},
         "thumbnail_url": "/api/v1/faces/5301/thumbnail"}
_CHANGE = {"action_id": 91, "undo_label": "Undo: moved 1 face to Ana", "person_id": 31}
_ID_LIST = serializers.ListField(child=IdField(), allow_empty=False, max_length=500)


class FaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    photo_id = serializers.IntegerField()
    box = serializers.ListField(child=serializers.FloatField(), help_text="[x1, y1, x2, y2] in original pixels "
                                "(full resolution, EXIF orientation applied).")
    usable = serializers.BooleanField(help_text="Passed the quality gate: grouped and searchable by guests.")
    quality_reasons = serializers.ListField(child=serializers.CharField())
    added_by_hand = serializers.BooleanField()
    set_aside = serializers.CharField(help_text='"" (kept), "not_face" or "ignored".')
    person = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    def get_person(self, face) -> dict | None:
        return {"id": face.person_id, "name": face.person.name} if face.person_id else None

    def get_thumbnail_url(self, face) -> str:
        return reverse("api:face-thumbnail", args=[face.id])


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UnassignedFaceSerializer(FaceSerializer):
    photo_filename = serializers.CharField(source="photo.original_filename")
    rejected_from = serializers.SerializerMethodField(help_text='People this face was said to be "not".')
    suggestions = serializers.SerializerMethodField(help_text="Up to 3 people it looks most like, best first.")

    def get_rejected_from(self, face) -> list[dict]:
        return [{"id": p.id, "name": p.name} for p in face.rejected_people.all()]

    def get_suggestions(self, face) -> list[dict]:
        return [{"person_id": s.person.id, "name": s.person.name, "similarity": s.similarity,
                 "cover_thumbnail_url": reverse("api:face-thumbnail", args=[s.person.cover_face_id])
                 if s.person.cover_face_id else None}
                for s in self.context["suggestions"].get(face.id, [])]


_CHANGE_OUT = inline_serializer("FaceChange", {
    "action_id": serializers.IntegerField(help_text="Undo it with POST /events/{event_id}/faces/undo/."),
    "undo_label": serializers.CharField(help_text="What the undo button says, e.g. “Undo: moved 1 face to Ana”."),
    "person_id": serializers.IntegerField(required=False, help_text="The person the faces went to (assign)."),
})


def _change(action, **extra) -> Response:
    return Response({"action_id": action.id, "undo_label": face_edits.undo_label(action), **extra})


class PhotoFacesApi(PhotoApi):
    required = "curate"
    required_by_method = {"GET": "faces"}

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FaceDrawInput"

        box = serializers.ListField(child=serializers.FloatField(min_value=0), min_length=4, max_length=4,
                                    help_text="[x, y, width, height] in pixels of the original photo as shown "
                                    "(full resolution, EXIF orientation applied) — the grid `box` of every face uses.")
        page = serializers.CharField(required=False, allow_blank=True, max_length=100)

    @extend_schema(operation_id="photos_faces", summary="List a photo's faces", responses=inline_serializer(
        "PhotoFaces", {"width": serializers.IntegerField(help_text="Original width, EXIF orientation applied."),
                       "height": serializers.IntegerField(), "faces": FaceSerializer(many=True)}),
        examples=[OpenApiExample("Faces with their people", response_only=True,
                                 value={"width": 4000, "height": 6000, "faces": [_FACE]})],
        description="Every face stored for the photo, with its person, for drawing boxes over it. Boxes are "
        "[x1, y1, x2, y2] in original pixels with EXIF orientation applied; `width`/`height` are that grid's.")
    def get(self, request, photo_id: int):
        width, height = face_edits.upright_size(self.photo)
        faces = face_selectors.photo_faces(photo=self.photo)
        return Response({"width": width, "height": height, "faces": FaceSerializer(faces, many=True).data})

    @extend_schema(operation_id="photos_faces_add", summary="Add a face the detector missed", request=InputSerializer,
                   responses={201: inline_serializer("FaceAdded", {
                       "face": FaceSerializer(), "landmarks_found": serializers.BooleanField(
                           help_text="False: no landmarks were found inside the box and the face was aligned "
                           "from the box alone (its embedding is less reliable)."),
                       "action_id": serializers.IntegerField(), "undo_label": serializers.CharField()}),
                       **errors(400)},
                   examples=[OpenApiExample("A box around a missed face", request_only=True,
                                            value={"box": [812, 440, 198, 248]}),
                             OpenApiExample("Found and joined Ana", status_codes=["201"], response_only=True,
                                            value={"face": {**_FACE, "added_by_hand": True}, "landmarks_found": True,
                                                   "action_id": 92, "undo_label": "Undo: added 1 face to IMG_0042.jpg"}),
                             OpenApiExample("Outside the photo", status_codes=["400"], response_only=True, value={
                                 "error": {"code": "invalid", "message": "The box must lie inside the photo (4000×6000 "
                                           "px, EXIF orientation applied); it reaches (4100, 700) from (3900, 500).",
                                           "details": None}})],
                   description="Finds the face's landmarks inside the box (the event's detector on the box with a "
                   "margin; when it finds none, the face is aligned from the box alone and `landmarks_found` is "
                   "false), embeds it with the event's model and quality rules, stores it encrypted, and groups it "
                   "like a detected face: it joins the nearest person under the event's thresholds or stays "
                   "unassigned. A usable face is searchable by guests at once. 400 for a box outside the photo, "
                   "smaller than 20×20 px, over an existing face, or a photo still processing.")
    def post(self, request, photo_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        added = face_edits.face_add(photo=self.photo, box=data.validated_data["box"], user=request.user,
                                    page=data.validated_data.get("page", ""))
        return Response({"face": FaceSerializer(added.face).data, "landmarks_found": added.landmarks_found,
                         "action_id": added.action.id, "undo_label": face_edits.undo_label(added.action)},
                        status=status.HTTP_201_CREATED)


class EventFacesApi(EventApi):
    required = "faces"

    @extend_schema(operation_id="events_faces", summary="List faces by holder", parameters=[
        OpenApiParameter("person", str, required=True, description="`none`: faces in no person (the Unassigned "
                         "page, including faces rejected with “not this person”); `not_face` or `ignored`: faces set "
                         "aside by hand; or a person's id."),
        OpenApiParameter("limit", int, description="At most this many (default 60, at most 200)."),
        OpenApiParameter("offset", int, description="Skip this many.")],
        responses={200: inline_serializer("EventFaces", {"count": serializers.IntegerField(),
                                                         "results": UnassignedFaceSerializer(many=True)}), **errors(400)},
        examples=[OpenApiExample("Unassigned, with suggestions", response_only=True, value={"count": 1, "results": [{
            **_FACE, "person": None, "photo_filename": "IMG_0042.jpg", "rejected_from": [{"id": 40, "name": ""}],
            "suggestions": [{"person_id": 31, "name": "Ana", "similarity": 0.512,
                             "cover_thumbnail_url": "/api/v1/faces/5120/thumbnail"}]}]})],
        description="Sharp, usable faces first. Each comes with the people it looks most like (cosine with "
        "their mean face, from stored embeddings), never one it was rejected from or one already in its photo.")
    def get(self, request, event_id: int):
        holder = request.query_params.get("person", "")
        if holder not in ("none", *face_selectors.SET_ASIDE_FILTERS) and not holder.isdigit():
            raise face_edits.CurationError("`person` must be none, not_face, ignored or a person's id.")
        try:
            limit = min(200, max(1, int(request.query_params.get("limit", 60))))
            offset = max(0, int(request.query_params.get("offset", 0)))
        except ValueError:
            raise face_edits.CurationError("`limit` and `offset` must be whole numbers.") from None
        faces = face_selectors.event_faces(event=self.event, person=holder)
        page = list(faces[offset:offset + limit])
        suggestions = face_selectors.face_suggestions(event=self.event, faces=page) if holder == "none" else {}
        return Response({"count": faces.count(), "results": UnassignedFaceSerializer(
            page, many=True, context={"suggestions": suggestions}).data})


class _FaceChangeApi(EventApi):
    required = "curate"


class FacesAssignApi(_FaceChangeApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FacesAssignInput"

        face_ids = _ID_LIST
        person_id = IdField(required=False, allow_null=True, help_text="Omit (or null) for a new person.")
        new_person_name = serializers.CharField(required=False, allow_blank=True, max_length=1000)
        page = serializers.CharField(required=False, allow_blank=True, max_length=100)

    @extend_schema(operation_id="events_faces_assign", summary="Assign faces to a person", request=InputSerializer,
                   responses={200: _CHANGE_OUT, **errors(400)}, examples=[
                       OpenApiExample("To Ana", request_only=True, value={"face_ids": [5301], "person_id": 31}),
                       OpenApiExample("To a new person", request_only=True,
                                      value={"face_ids": [5301, 5302], "new_person_name": "Uncle Tom"}),
                       OpenApiExample("Moved", response_only=True, value=_CHANGE)],
                   description="Moves the faces (from any person, set aside or unassigned) to the person, or to a "
                   "new one. Overrides an earlier “not this person” for that person. 400 when the person already "
                   "has a face in one of the photos.")
    def post(self, request, event_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person, action = face_edits.faces_assign(
            event=self.event, face_ids=values["face_ids"], person_id=values.get("person_id"),
            new_person_name=values.get("new_person_name", ""), user=request.user, page=values.get("page", ""))
        return _change(action, person_id=person.id)


class FacesSetAsideApi(_FaceChangeApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FacesSetAsideInput"

        face_ids = _ID_LIST
        reason = serializers.ChoiceField(choices=["not_face", "ignored"])
        page = serializers.CharField(required=False, allow_blank=True, max_length=100)

    @extend_schema(operation_id="events_faces_set_aside", summary="Mark faces as not a face, or ignore them",
                   request=InputSerializer, responses={200: _CHANGE_OUT, **errors(400)}, examples=[
                       OpenApiExample("Background people", request_only=True,
                                      value={"face_ids": [5301], "reason": "ignored"}),
                       OpenApiExample("Set aside", response_only=True,
                                      value={"action_id": 93, "undo_label": "Undo: ignored 1 face (background)"})],
                   description="`not_face`: a false detection. `ignored`: a background person. Either way the faces "
                   "leave their person and are no longer grouped, suggested, listed as unassigned or matched by "
                   "guests' selfies; bring them back with /faces/restore/ or the undo.")
    def post(self, request, event_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return _change(face_edits.faces_set_aside(event=self.event, face_ids=values["face_ids"], reason=values["reason"],
                                                  user=request.user, page=values.get("page", "")))


class FacesRestoreApi(_FaceChangeApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FacesRestoreInput"

        face_ids = _ID_LIST
        page = serializers.CharField(required=False, allow_blank=True, max_length=100)

    @extend_schema(operation_id="events_faces_restore", summary="Bring set-aside faces back", request=InputSerializer,
                   responses={200: _CHANGE_OUT}, examples=[
                       OpenApiExample("Bring back", request_only=True, value={"face_ids": [5301]}),
                       OpenApiExample("Back among the unassigned", response_only=True,
                                      value={"action_id": 94, "undo_label": "Undo: brought back 1 face"})],
                   description="Faces marked “not a face” or ignored return to the unassigned faces.")
    def post(self, request, event_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _change(face_edits.faces_restore(event=self.event, face_ids=data.validated_data["face_ids"],
                                                user=request.user, page=data.validated_data.get("page", "")))


class FacesUndoApi(_FaceChangeApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "FacesUndoInput"

        action_id = IdField()

    @extend_schema(operation_id="events_faces_undo", summary="Undo a change by its id", request=InputSerializer,
                   responses={200: inline_serializer("FaceChangeUndone", {
                       "undone": serializers.CharField(), "action_id": serializers.IntegerField(),
                       "label": serializers.CharField()}), **errors(400, 404, 409)},
                   examples=[OpenApiExample("Undo", request_only=True, value={"action_id": 91}),
                             OpenApiExample("Undone", response_only=True, value={
                                 "undone": "assign", "action_id": 91, "label": "Undo: moved 1 face to Ana"}),
                             OpenApiExample("A later change depends on it", status_codes=["409"], response_only=True,
                                            value={"error": {"code": "undo_blocked", "message": (
                                                "“moved 1 face to Ana” can't be undone: a later change depends on it "
                                                "(“changed Ana's cover”). Undo that first."),
                                                "details": {"action_id": 91, "blocked_by": 95}}})],
                   description="Undoes the change `action_id` names (any face or people change, as "
                   "`POST …/people/undo/` does); 409 `undo_blocked`, naming it, while a later change touched the "
                   "same faces or people; 400 when it was already undone.")
    def post(self, request, event_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action, label = face_edits.face_edit_undo(event=self.event, action_id=data.validated_data["action_id"])
        return Response({"undone": action.kind, "action_id": action.id, "label": label})


class PersonCoverApi(PersonApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PersonCoverInput"

        face_id = IdField()
        page = serializers.CharField(required=False, allow_blank=True, max_length=100)

    @extend_schema(operation_id="people_cover", summary="Choose a person's cover face", request=InputSerializer,
                   responses={200: _CHANGE_OUT, **errors(400)}, examples=[
                       OpenApiExample("This face", request_only=True, value={"face_id": 5120}),
                       OpenApiExample("Chosen", response_only=True,
                                      value={"action_id": 95, "undo_label": "Undo: changed Ana's cover"})],
                   description="The face (one of the person's) becomes their cover on the people pages and "
                   "album exports; it stays while the face is theirs. 400 for another person's face.")
    def post(self, request, person_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _change(face_edits.person_cover_set(event=self.event, person_id=person_id,
                                                   face_id=data.validated_data["face_id"], user=request.user,
                                                   page=data.validated_data.get("page", "")))
