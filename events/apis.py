"""REST endpoints for events and photos: parse, call one service or selector, serialize."""
import functools

from django.urls import get_script_prefix, reverse
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response

from core.schema import ERROR_SCHEMA, errors
from events import api_examples as ex
from events import selectors, services
from events.counters import events_counters
from events.gallery_facets import photos_focus
from events.gallery_query import GalleryPagination, PhotoListQuery
from core.downloads import derivative_response, original_response
from events.models import Event, Photo, PhotoSource
from core.api import StudioApi
from events.api import EventApi, PhotoApi


class EventOutputSerializer(serializers.ModelSerializer):
    counters = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = ["id", "name", "starts_on", "created_at", "updated_at", "counters"]

    def get_counters(self, event: Event) -> dict[str, int]:
        """From the `counters` context (a list's, fetched at once) or, for one event, on the spot."""
        batch = self.context.get("counters")
        return batch[event.id] if batch is not None else selectors.event_counters(event=event)


_ID_SLOT = 987654321987  # reversed once per route and script prefix, then filled in: reverse() per photo
# was a fifth of a gallery page's server time (3 URLs × 50 photos), measured by scripts/bench_gallery_page.py


@functools.cache
def _photo_url_pattern(name: str, prefix: str) -> str:
    return reverse(name, args=[_ID_SLOT])


def photo_url(name: str, photo_id: int) -> str:
    return _photo_url_pattern(name, get_script_prefix()).replace(str(_ID_SLOT), str(int(photo_id)))


class PhotoOutputSerializer(serializers.ModelSerializer):
    original_url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    focus = serializers.SerializerMethodField(help_text="Where a square crop of the thumbnail should look, as "
                                              "percentages for CSS `object-position`: centred on the photo's faces "
                                              "(from their stored boxes), `{x: 50, y: 50}` without faces.")

    class Meta:
        model = Photo
        fields = [
            "id", "event", "original_filename", "sha256", "size", "content_type", "width", "height",
            "orientation", "taken_at", "hidden", "state", "failure_reason", "source", "created_at", "processed_at",
            "original_url", "preview_url", "thumbnail_url", "focus",
        ]

    def get_original_url(self, photo: Photo) -> str:
        return photo_url("api:photo-original", photo.id)

    def get_preview_url(self, photo: Photo) -> str | None:
        return photo_url("api:photo-preview", photo.id) if photo.preview_key else None

    def get_thumbnail_url(self, photo: Photo) -> str | None:
        return photo_url("api:photo-thumbnail", photo.id) if photo.thumbnail_key else None

    def get_focus(self, photo: Photo) -> dict[str, float]:
        """From the `focus` context (a page's, one query) or, for one photo, on the spot."""
        batch = self.context.get("focus")
        x, y = batch[photo.id] if batch is not None and photo.id in batch else photos_focus([photo])[photo.id]
        return {"x": x, "y": y}


class UploadResultSerializer(serializers.Serializer):
    filename = serializers.CharField()
    status = serializers.ChoiceField(choices=["created", "duplicate", "rejected"])
    reason = serializers.CharField(allow_null=True)
    photo = PhotoOutputSerializer(allow_null=True)


class UploadOutputSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    rejected = serializers.IntegerField()
    results = UploadResultSerializer(many=True)


class EventListCreateApi(StudioApi):
    pagination_class = PageNumberPagination
    studio_required = False  # organizers without a studio still list the events they organize
    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EventCreateInput"

        name = serializers.CharField(max_length=200, allow_blank=False, trim_whitespace=True)
        starts_on = serializers.DateField(required=False, allow_null=True)

    @extend_schema(operation_id="events_list", summary="List events", responses=EventOutputSerializer(many=True),
                   description="The events of your studio (and the ones you organize), newest first, 50 a page.",
                   examples=ex.EVENT_LIST)
    def get(self, request):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.event_list(studio=self.studio, user=request.user), request, view=self)
        counters = events_counters(event.id for event in page)  # one query per source, not per event
        return paginator.get_paginated_response(EventOutputSerializer(page, many=True, context={"counters": counters}).data)

    @extend_schema(operation_id="events_create", summary="Create an event", request=InputSerializer,
                   responses={201: EventOutputSerializer}, examples=ex.EVENT_CREATE,
                   description="Creates an event in your studio; upload photos to it next. Viewers get a 403.")
    def post(self, request):
        self.require_writer()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.event_create(studio=self.studio, user=request.user, **data.validated_data)
        return Response(EventOutputSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetailApi(EventApi):
    required_by_method = {"PATCH": "upload", "DELETE": "delete"}

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "EventUpdateInput"

        name = serializers.CharField(max_length=200, required=False)
        starts_on = serializers.DateField(required=False, allow_null=True)

    @extend_schema(operation_id="events_get", summary="Get an event", responses=EventOutputSerializer,
                   examples=ex.EVENT_GET, description="The event and its processing counters: poll "
                   "`counters.photos_pending` until it is 0 to know every uploaded photo is processed.")
    def get(self, request, event_id: int):
        return Response(EventOutputSerializer(self.event).data)

    @extend_schema(operation_id="events_update", summary="Rename or re-date an event", request=InputSerializer,
                   responses=EventOutputSerializer, examples=ex.EVENT_UPDATE,
                   description="Changes only the fields sent. Needs a role that may upload.")
    def patch(self, request, event_id: int):
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        event = services.event_update(event=self.event, **data.validated_data)
        return Response(EventOutputSerializer(event).data)

    @extend_schema(operation_id="events_delete", summary="Delete an event", responses={204: None},
                   examples=ex.EVENT_DELETE, description="Deletes the event, its photos, faces, people and share "
                   "links for good; its encryption key is destroyed first. Owners and admins only.")
    def delete(self, request, event_id: int):
        services.event_delete(event=self.event)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PhotoListUploadApi(EventApi):
    pagination_class = GalleryPagination
    parser_classes = [MultiPartParser]
    required_by_method = {"POST": "upload"}

    @extend_schema(operation_id="photos_list", summary="List an event's photos", responses=PhotoOutputSerializer(many=True),
                   parameters=[PhotoListQuery], examples=ex.PHOTO_LIST,
                   description="The event's photos, 50 a page (`page_size` up to 200), each with its processing "
                   "`state` (queued, processing, done, failed; a failed one says why in `failure_reason`), its file "
                   "URLs and its thumbnail `focus`. Sorted by capture time (EXIF; photos without one come after, in "
                   "upload order) or by upload order; filtered by `hidden`, `state`, `person` (photos that person is "
                   "in) and `faces` (`none`: processed, no face found). `count` is the number that match the filters.")
    def get(self, request, event_id: int):
        query = PhotoListQuery(data=request.query_params.dict())  # a plain dict: a missing boolean stays "any"
        query.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        photos = selectors.photo_list(event=self.event, query=selectors.PhotoQuery(**query.photo_query()))
        page = paginator.paginate_queryset(photos, request, view=self)
        focus = photos_focus(page)
        return paginator.get_paginated_response(PhotoOutputSerializer(page, many=True, context={"focus": focus}).data)

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "properties": {"files": {"type": "array", "items": {"type": "string", "format": "binary"}}}}},
        responses={201: UploadOutputSerializer, 200: UploadOutputSerializer, **errors(503), 400: PolymorphicProxySerializer(
            "UploadRefused", serializers=[UploadOutputSerializer, ERROR_SCHEMA], resource_type_field_name=None)},
        operation_id="photos_upload", summary="Upload photos", examples=ex.PHOTO_UPLOAD,
        description="Multipart field `files`, one or many (up to 100 a request, 300 MB each): JPEG, PNG, WebP, TIFF "
                    "or HEIC/HEIF. Answers per file: "
                    "created, duplicate (same bytes already in the event; a photo that had failed is queued again, "
                    "its `state` queued and `reason` saying so) or rejected with a reason; 201 if any "
                    "was created, 200 if all were duplicates, 400 with the per-file results if all were rejected "
                    "(or with the error body if the request itself was wrong, e.g. no `files`). Originals are kept byte "
                    "for byte; processing starts at once. A 503 stored nothing of the failing file: retry. "
                    "Each photo records its `source`: `web` (signed-in page), `api`, or `hot_folder` when the "
                    "client sends the header `X-Upload-Source: hot-folder` (the visage-upload client does).",
    )
    def post(self, request, event_id: int):
        files = request.FILES.getlist("files")
        if not files:
            raise ValidationError({"files": ["No files: send one or more in the multipart field 'files'."]})
        try:
            outcomes = services.photos_upload(event=self.event, user=request.user, files=files,
                                              source=_upload_source(request))
        except services.StorageUnavailable as exc:
            raise StorageUnavailableError(str(exc)) from exc
        return Response(_upload_body(outcomes), status=_upload_status(outcomes))


def _upload_source(request) -> str:
    if isinstance(request.successful_authenticator, SessionAuthentication):
        return PhotoSource.WEB
    if request.headers.get("X-Upload-Source", "").strip().lower() == "hot-folder":
        return PhotoSource.HOT_FOLDER
    return PhotoSource.API


class StorageUnavailableError(APIException):
    """503: object storage is down; nothing of the failing file was stored, a retry is safe."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "storage_unavailable"
    default_detail = "Object storage is unavailable; retry the upload in a moment."


def _upload_body(outcomes: list[services.UploadOutcome]) -> dict:
    context = {"focus": photos_focus([o.photo for o in outcomes if o.photo])}  # one query for the whole batch
    results = [
        {"filename": o.filename, "status": o.status, "reason": o.reason or None,
         "photo": PhotoOutputSerializer(o.photo, context=context).data if o.photo else None}
        for o in outcomes
    ]
    counts = {name: sum(o.status == name for o in outcomes) for name in ("created", "duplicate", "rejected")}
    return {**counts, "results": results}


def _upload_status(outcomes: list[services.UploadOutcome]) -> int:
    if any(o.status == "created" for o in outcomes):
        return status.HTTP_201_CREATED
    if all(o.status == "rejected" for o in outcomes):
        return status.HTTP_400_BAD_REQUEST
    return status.HTTP_200_OK


class PhotoDetailApi(PhotoApi):
    required_by_method = {"PATCH": "share"}

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoUpdateInput"

        hidden = serializers.BooleanField()

    @extend_schema(operation_id="photos_get", summary="Get a photo", responses=PhotoOutputSerializer,
                   examples=ex.PHOTO_GET, description="One photo: its state, metadata and file URLs.")
    def get(self, request, photo_id: int):
        return Response(PhotoOutputSerializer(self.photo).data)

    @extend_schema(operation_id="photos_update", summary="Hide or show a photo", request=InputSerializer,
                   responses=PhotoOutputSerializer, examples=ex.PHOTO_UPDATE,
                   description="A hidden photo never reaches guests (search results, galleries, zips). Studio "
                   "members who share and the event's organizers may do this.")
    def patch(self, request, photo_id: int):
        """Hide a photo from guests (or show it again). Organizers may do this too."""
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.photo_set_hidden(photo=self.photo, hidden=data.validated_data["hidden"])
        return Response(PhotoOutputSerializer(photo).data)


class PhotoOriginalApi(PhotoApi):
    @extend_schema(operation_id="photos_original", summary="Download a photo's original",
                   responses={(200, "image/*"): bytes, 302: None}, examples=ex.PHOTO_FILE,
                   description="The exact uploaded bytes (check them against `sha256`) with the upload's own "
                   "Content-Type (image/jpeg, image/png, …), or a 302 to a short-lived link on the object store.")
    def get(self, request, photo_id: int):
        return original_response(self.photo)


class PhotoDerivativeApi(PhotoApi):
    kind = "preview"
    openapi_operation_id = staticmethod(lambda view: f"photos_{view.kind}")

    @extend_schema(summary="Get a photo's preview or thumbnail",  # operationId: photos_preview / photos_thumbnail
                   responses={(200, "image/jpeg"): bytes, 302: None}, examples=ex.PHOTO_FILE,
                   description="A JPEG rendered after processing: preview (1600 px long side) or thumbnail "
                   "(400 px), EXIF orientation applied. 404 until the photo is processed.")
    def get(self, request, photo_id: int):
        return derivative_response(self.photo, self.kind)
