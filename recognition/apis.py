"""People, curation and analytics endpoints. Person/face lookups go through the event access layer."""
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from events.access import EventAccess
from core.api import dangerously_unscoped
from core.schema import errors
from core.downloads import object_response, zip_response
from core.jobs import job_payload
from recognition import api_examples as ex
from recognition import selectors
from recognition.album_links import album_email_send, album_link_person
from recognition.albums import album_entries, person_label
from recognition.analytics import event_analytics
from recognition.models import Face, Person
from recognition.services import curation
from recognition.undo_apis import UNDO_SCHEMA, undo_payload, undo_scope_field
from recognition.recluster import recluster_latest, recluster_queue
from recognition.thumbnails import face_thumbnail_key
from events.api import EventApi, EventObjectApi
from core.fields import IdField

_JOB = inline_serializer("ReclusterJob", {
    "id": serializers.IntegerField(required=False), "state": serializers.CharField(help_text="none, queued, running, done or failed."),
    "result": serializers.JSONField(required=False, allow_null=True), "error": serializers.CharField(required=False, allow_null=True),
    "queued_at": serializers.DateTimeField(required=False), "started_at": serializers.DateTimeField(required=False, allow_null=True),
    "finished_at": serializers.DateTimeField(required=False, allow_null=True),
    "seconds": serializers.FloatField(required=False, allow_null=True)})
_ANALYTICS = inline_serializer("EventAnalytics", {
    "event_id": serializers.IntegerField(), "appearances": serializers.ListField(child=serializers.DictField()),
    "most_photographed": serializers.ListField(child=serializers.DictField()), "photos": serializers.DictField(),
    "faces": serializers.DictField(), "timings": serializers.DictField()})


class PersonOutputSerializer(serializers.ModelSerializer):
    face_count = serializers.IntegerField(read_only=True)
    photo_count = serializers.IntegerField(read_only=True)
    photo_ids = serializers.SerializerMethodField()
    cover_thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "event", "name", "hidden", "curated", "face_count", "photo_count", "photo_ids",
                  "cover_face", "cover_thumbnail_url"]

    def get_photo_ids(self, person) -> list[int]:
        known = self.context.get("photo_ids")
        return known.get(person.id, []) if known is not None else selectors.person_photo_ids(person=person)

    def get_cover_thumbnail_url(self, person) -> str | None:
        return reverse("api:face-thumbnail", args=[person.cover_face_id]) if person.cover_face_id else None


class CuratedPersonSerializer(PersonOutputSerializer):
    """A person as a curation change left them, with the handle to undo that change."""

    undo = serializers.SerializerMethodField()

    class Meta(PersonOutputSerializer.Meta):
        fields = [*PersonOutputSerializer.Meta.fields, "undo"]

    @extend_schema_field(UNDO_SCHEMA)
    def get_undo(self, person) -> dict | None:
        action = self.context.get("action")
        return undo_payload(action) if action is not None else None


class PersonApi(EventObjectApi):
    """Base for /people/{person_id}/…: the person's event decides access (404 for strangers)."""

    event_object = (Person, "person_id")
    required = "curate"
    required_by_method = {"GET": "view"}


def _person_response(access: EventAccess, person_id: int, code: int = status.HTTP_200_OK) -> Response:
    person = selectors.person_get(event=access.event, person_id=person_id)
    return Response(PersonOutputSerializer(person).data, status=code)


def _curated_response(access: EventAccess, changed, code: int = status.HTTP_200_OK) -> Response:
    """The person a change returned, with fresh counts and its undo handle."""
    person = selectors.person_get(event=access.event, person_id=changed.id)
    return Response(CuratedPersonSerializer(person, context={"action": changed.curation_action}).data, status=code)


class PersonDetailApi(PersonApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PersonUpdateInput"

        name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)
        hidden = serializers.BooleanField(required=False)
        scope = undo_scope_field()

    @extend_schema(operation_id="people_get", summary="Get a person", responses=PersonOutputSerializer,
                   examples=ex.PERSON_GET, description="One person with their counts, photo ids and cover face.")
    def get(self, request, person_id: int):
        return _person_response(self.access, person_id)

    @extend_schema(operation_id="people_update", summary="Name or hide a person", request=InputSerializer,
                   responses=CuratedPersonSerializer, examples=ex.PERSON_UPDATE,
                   description="A named person stays as curated through re-clustering; a hidden one never "
                   "reaches guests. Needs a role that curates.")
    def patch(self, request, person_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = curation.person_update(event=self.event, person_id=person_id, user=request.user, **data.validated_data)
        return _curated_response(self.access, person)


class PersonMergeApi(PersonApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PersonMergeInput"

        person_ids = serializers.ListField(child=IdField(), allow_empty=False, max_length=500)
        scope = undo_scope_field()

    @extend_schema(operation_id="people_merge", summary="Merge people into this one", request=InputSerializer,
                   responses=CuratedPersonSerializer, examples=ex.PERSON_MERGE,
                   description="Moves every face of `person_ids` (same event) to this person and deletes them; "
                   "undo with /events/{event_id}/people/undo/. A 400 says why a merge is refused.")
    def post(self, request, person_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = curation.person_merge(event=self.event, person_id=person_id, other_ids=data.validated_data["person_ids"],
                                       user=request.user, scope=data.validated_data["scope"])
        return _curated_response(self.access, person)


class FaceIdsInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "FaceIdsInput"

    face_ids = serializers.ListField(child=IdField(), allow_empty=False, max_length=5000)
    scope = undo_scope_field()


class PersonSplitApi(PersonApi):
    @extend_schema(operation_id="people_split", summary="Split faces off into a new person", request=FaceIdsInputSerializer,
                   responses={201: CuratedPersonSerializer}, examples=ex.PERSON_SPLIT,
                   description="The given faces of this person become a new person (answered with 201). The two "
                   "are remembered as different people: they are not suggested as \"the same person?\" again.")
    def post(self, request, person_id: int):
        data = FaceIdsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = curation.person_split(event=self.event, person_id=person_id, face_ids=data.validated_data["face_ids"],
                                    user=request.user, scope=data.validated_data["scope"])
        return _curated_response(self.access, new, status.HTTP_201_CREATED)


class PersonRejectApi(PersonApi):
    @extend_schema(operation_id="people_reject_faces", summary="Say \"not this person\" for faces",
                   request=FaceIdsInputSerializer, responses=CuratedPersonSerializer, examples=ex.PERSON_REJECT,
                   description="The faces leave this person and are never assigned to them again.")
    def post(self, request, person_id: int):
        data = FaceIdsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = curation.person_reject_faces(event=self.event, person_id=person_id, face_ids=data.validated_data["face_ids"],
                                              user=request.user, scope=data.validated_data["scope"])
        return _curated_response(self.access, person)


class EventReclusterApi(EventApi):
    """POST queues a re-cluster on the `cluster` queue (people a user touched stay as they are);
    GET shows the latest one: queued, running, done (with its result) or failed."""

    required = "curate"
    required_by_method = {"GET": "view"}

    @extend_schema(operation_id="people_recluster", summary="Re-cluster an event's faces", request=None,
                   responses={202: _JOB}, examples=ex.RECLUSTER_QUEUE,
                   description="Queues a re-clustering of the faces nobody curated (named, merged or split "
                   "people stay as they are); poll the GET to follow it.")
    def post(self, request, event_id: int):
        job, _ = recluster_queue(event=self.event)
        return Response(job_payload(job), status=status.HTTP_202_ACCEPTED)

    @extend_schema(operation_id="people_recluster_status", summary="Follow the latest re-clustering", responses=_JOB,
                   examples=ex.RECLUSTER_GET, description="State of the latest re-clustering: none, queued, "
                   "running, done (with its result) or failed (with its error).")
    def get(self, request, event_id: int):
        return Response(job_payload(recluster_latest(event=self.event)))


class EventAnalyticsApi(EventApi):
    @extend_schema(operation_id="events_analytics", summary="Get an event's analytics", responses=_ANALYTICS,
                   examples=ex.ANALYTICS, description="Who appears in how many photos, face coverage, and "
                   "processing and guest-search timings (median and 95th percentile).")
    def get(self, request, event_id: int):
        return Response(event_analytics(event=self.event))


class FaceThumbnailApi(EventObjectApi):
    event_object = (Face, "face_id")

    @extend_schema(operation_id="faces_thumbnail", summary="Get a face's thumbnail",
                   responses={(200, "image/jpeg"): bytes, 302: None}, examples=ex.FILE,
                   description="A square JPEG crop of one face (cut on first request).")
    def get(self, request, face_id: int):
        face = selectors.face_get(event_ids=[self.event.id], face_id=face_id)
        return object_response(face_thumbnail_key(face), f"face-{face.id}.jpg", "image/jpeg", as_attachment=False)


def _zip_response(person):
    return zip_response(album_entries(person), f"{person_label(person)}.zip")


class PersonAlbumApi(PersonApi):
    required_by_method = {"GET": "view"}

    @extend_schema(operation_id="people_album_zip", summary="Download a person's album",
                   responses={(200, "application/zip"): bytes}, examples=ex.FILE,
                   description="A streamed zip of every photo the person is in (originals, byte for byte) "
                   "and a Faces folder.")
    def get(self, request, person_id: int):
        """The person's originals (byte for byte) and a Faces index, as a streaming zip."""
        return _zip_response(selectors.person_get(event=self.event, person_id=person_id))


class PersonAlbumEmailApi(PersonApi):
    required = "share"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AlbumEmailInput"

        email = serializers.EmailField()

    @extend_schema(operation_id="people_album_email", summary="Email a person's album link", request=InputSerializer,
                   responses={202: inline_serializer("AlbumEmailSent", {"sent_to": serializers.EmailField()})},
                   examples=ex.ALBUM_EMAIL, description="Sends a signed, time-limited download link for the "
                   "person's album to the address given.")
    def post(self, request, person_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        person = selectors.person_get(event=self.event, person_id=person_id)
        album_email_send(person=person, email=data.validated_data["email"], base_url=request.build_absolute_uri("/"),
                         user=request.user)
        return Response({"sent_to": data.validated_data["email"]}, status=status.HTTP_202_ACCEPTED)


@dangerously_unscoped("the signed, time-limited album link is the credential; it names one person")
class AlbumLinkDownloadApi(APIView):
    """The emailed link: no login, the signed token is the permission."""

    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(operation_id="albums_download_zip", summary="Download an album from an emailed link",
                   responses={(200, "application/zip"): bytes, **errors(404)}, examples=ex.ALBUM_LINK,
                   description="No login: the signed token from the email is the permission. 404 once it "
                   "expires or the person is hidden.")
    def get(self, request, token: str):
        return _zip_response(album_link_person(token))


class FaceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    photo_id = serializers.IntegerField()
    box = serializers.ListField(child=serializers.FloatField())
    probability = serializers.FloatField()
    usable = serializers.BooleanField()
    thumbnail_url = serializers.SerializerMethodField()

    def get_thumbnail_url(self, face) -> str:
        return reverse("api:face-thumbnail", args=[face.id])


class PersonFacesApi(PersonApi):
    required_by_method = {"GET": "faces"}

    @extend_schema(operation_id="people_faces", summary="List a person's faces", responses=FaceOutputSerializer(many=True),
                   examples=ex.PERSON_FACES, description="The person's faces, sharpest first, with the ids that "
                   "split and \"not this person\" take. Not paginated.")
    def get(self, request, person_id: int):
        """The person's faces (ids for split and "not this person"), sharpest first."""
        person = selectors.person_get(event=self.event, person_id=person_id)
        return Response(FaceOutputSerializer(person.faces.order_by("-blur", "id"), many=True).data)
