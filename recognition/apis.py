"""People, curation and analytics endpoints. Person/face lookups go through the event access layer."""
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from events.access import EventAccess
from core.api import dangerously_unscoped
from core.downloads import object_response, zip_response
from core.jobs import job_payload
from recognition import selectors
from recognition.album_links import album_email_send, album_link_person
from recognition.albums import album_entries, person_label
from recognition.analytics import event_analytics
from recognition.models import Face, Person
from recognition.services import curation
from recognition.services.recluster import recluster_latest, recluster_queue
from recognition.thumbnails import face_thumbnail_key
from events.api import EventApi, EventObjectApi
from core.fields import IdField


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


class PersonListApi(EventApi):
    @extend_schema(responses=PersonOutputSerializer(many=True))
    def get(self, request, event_id: int):
        people = selectors.person_list(event=self.event)
        context = {"photo_ids": selectors.people_photo_ids(event=self.event)}
        return Response(PersonOutputSerializer(people, many=True, context=context).data)


class PersonApi(EventObjectApi):
    """Base for /people/{person_id}/…: the person's event decides access (404 for strangers)."""

    event_object = (Person, "person_id")
    required = "curate"
    required_by_method = {"GET": "view"}


def _person_response(access: EventAccess, person_id: int, code: int = status.HTTP_200_OK) -> Response:
    person = selectors.person_get(event=access.event, person_id=person_id)
    return Response(PersonOutputSerializer(person).data, status=code)


def _run(service, **kwargs):
    try:
        return service(**kwargs)
    except curation.CurationError as exc:
        raise ValidationError(str(exc)) from exc


class PersonDetailApi(PersonApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PersonUpdateInput"

        name = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)
        hidden = serializers.BooleanField(required=False)

    @extend_schema(responses=PersonOutputSerializer)
    def get(self, request, person_id: int):
        return _person_response(self.access, person_id)

    @extend_schema(request=InputSerializer, responses=PersonOutputSerializer)
    def patch(self, request, person_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(curation.person_update, event=self.event, person_id=person_id, user=request.user, **data.validated_data)
        return _person_response(self.access, person_id)


class PersonMergeApi(PersonApi):
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PersonMergeInput"

        person_ids = serializers.ListField(child=IdField(), allow_empty=False, max_length=500)

    @extend_schema(request=InputSerializer, responses=PersonOutputSerializer)
    def post(self, request, person_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(curation.person_merge, event=self.event, person_id=person_id, other_ids=data.validated_data["person_ids"], user=request.user)
        return _person_response(self.access, person_id)


class FaceIdsInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "FaceIdsInput"

    face_ids = serializers.ListField(child=IdField(), allow_empty=False, max_length=5000)


class PersonSplitApi(PersonApi):
    @extend_schema(request=FaceIdsInputSerializer, responses={201: PersonOutputSerializer})
    def post(self, request, person_id: int):
        data = FaceIdsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = _run(curation.person_split, event=self.event, person_id=person_id, face_ids=data.validated_data["face_ids"], user=request.user)
        return _person_response(self.access, new.id, status.HTTP_201_CREATED)


class PersonRejectApi(PersonApi):
    @extend_schema(request=FaceIdsInputSerializer, responses=PersonOutputSerializer)
    def post(self, request, person_id: int):
        data = FaceIdsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _run(curation.person_reject_faces, event=self.event, person_id=person_id, face_ids=data.validated_data["face_ids"], user=request.user)
        return _person_response(self.access, person_id)


class CurationUndoApi(EventApi):
    required = "curate"

    @extend_schema(request=None, responses={200: {"type": "object"}})
    def post(self, request, event_id: int):
        action = _run(curation.curation_undo, event=self.event)
        return Response({"undone": action.kind, "action_id": action.id})


class EventReclusterApi(EventApi):
    """POST queues a re-cluster on the `cluster` queue (people a user touched stay as they are);
    GET shows the latest one: queued, running, done (with its result) or failed."""

    required = "curate"
    required_by_method = {"GET": "view"}

    @extend_schema(request=None, responses={202: {"type": "object"}})
    def post(self, request, event_id: int):
        job, _ = recluster_queue(event=self.event)
        return Response(job_payload(job), status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses={200: {"type": "object"}})
    def get(self, request, event_id: int):
        return Response(job_payload(recluster_latest(event=self.event)))


class EventAnalyticsApi(EventApi):
    @extend_schema(responses={200: {"type": "object"}})
    def get(self, request, event_id: int):
        return Response(event_analytics(event=self.event))


class FaceThumbnailApi(EventObjectApi):
    event_object = (Face, "face_id")

    @extend_schema(responses={(200, "image/jpeg"): bytes})
    def get(self, request, face_id: int):
        face = selectors.face_get(event_ids=[self.event.id], face_id=face_id)
        return object_response(face_thumbnail_key(face), f"face-{face.id}.jpg", "image/jpeg", as_attachment=False)


def _zip_response(person):
    return zip_response(album_entries(person), f"{person_label(person)}.zip")


class PersonAlbumApi(PersonApi):
    required_by_method = {"GET": "view"}

    @extend_schema(responses={(200, "application/zip"): bytes})
    def get(self, request, person_id: int):
        """The person's originals (byte for byte) and a Faces index, as a streaming zip."""
        return _zip_response(selectors.person_get(event=self.event, person_id=person_id))


class PersonAlbumEmailApi(PersonApi):
    required = "share"

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "AlbumEmailInput"

        email = serializers.EmailField()

    @extend_schema(request=InputSerializer, responses={202: {"type": "object"}})
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

    @extend_schema(responses={(200, "application/zip"): bytes})
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
    required_by_method = {"GET": "view"}

    @extend_schema(responses=FaceOutputSerializer(many=True))
    def get(self, request, person_id: int):
        """The person's faces (ids for split and "not this person"), sharpest first."""
        person = selectors.person_get(event=self.event, person_id=person_id)
        return Response(FaceOutputSerializer(person.faces.order_by("-blur", "id"), many=True).data)
