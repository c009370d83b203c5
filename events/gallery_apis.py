"""The studio gallery's bulk actions on selected photos: hide/unhide, and a zip of their originals."""
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.parsers import FormParser, JSONParser
from rest_framework.response import Response

from core.downloads import zip_response
from core.schema import errors
from core.storage import object_storage
from core.zipstream import safe_name, storage_entry, unique_name
from events import selectors, services
from events.api import EventApi
from events.gallery_query import ID_MAX

MAX_SELECTED = 5000  # a whole 3,000-photo event fits; a body of ids stays under the JSON limits


class SelectionSerializer(serializers.Serializer):
    photo_ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
                                      min_length=1, max_length=MAX_SELECTED,
                                      help_text="Photos of this event; ids of other events are ignored.")


class PhotoBulkHideApi(EventApi):
    required = "share"

    class InputSerializer(SelectionSerializer):
        class Meta:
            ref_name = "PhotoBulkHideInput"

        hidden = serializers.BooleanField(help_text="`true` hides the photos from guests, `false` shows them again.")

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "PhotoBulkHideOutput"

        hidden = serializers.BooleanField()
        photo_ids = serializers.ListField(child=serializers.IntegerField(), help_text="The photos now in that state.")

    @extend_schema(operation_id="photos_bulk_hide", summary="Hide or show selected photos", request=InputSerializer,
                   responses={200: OutputSerializer, **errors(400, 403, 404)},
                   examples=[OpenApiExample("Hide three photos", value={"photo_ids": [1042, 1043, 1050], "hidden": True},
                                            request_only=True),
                             OpenApiExample("Hidden", value={"hidden": True, "photo_ids": [1042, 1043, 1050]},
                                            response_only=True)],
                   description="Hidden photos never reach guests (search results, galleries, zips). Studio members "
                   "who share and the event's organizers may do this; ids that are not this event's photos are "
                   "left out of the answer.")
    def post(self, request, event_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = services.photos_set_hidden(event=self.event, photo_ids=data.validated_data["photo_ids"],
                                         hidden=data.validated_data["hidden"])
        return Response({"hidden": data.validated_data["hidden"], "photo_ids": ids})


class PhotoSelectionZipApi(EventApi):
    parser_classes = [JSONParser, FormParser]  # a plain form post lets the browser stream the download

    class InputSerializer(SelectionSerializer):
        class Meta:
            ref_name = "PhotoSelectionZipInput"

    @extend_schema(operation_id="photos_selection_zip", summary="Download selected photos",
                   request={"application/json": InputSerializer, "application/x-www-form-urlencoded": InputSerializer},
                   responses={(200, "application/zip"): bytes, **errors(400, 404)},
                   examples=[OpenApiExample("Three photos", value={"photo_ids": [1042, 1043, 1050]}, request_only=True)],
                   description="A streamed zip of the selected photos' originals, byte for byte, under their "
                   "upload names (a repeated name gets ` (2)`), in capture-time order. Hidden photos are included: "
                   "this is the studio's own copy. Ids of other events are ignored; none of this event's is a 404.")
    def post(self, request, event_id: int):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = selectors.photo_ids_in_event(event=self.event, photo_ids=data.validated_data["photo_ids"])
        if not ids:
            raise Http404("None of these photos is in this event.")
        photos = selectors.photo_list(event=self.event).filter(id__in=ids)  # read now, streamed after the view returns
        return zip_response(_original_entries(list(photos)), f"{self.event.name} - {len(ids)} photos.zip")


def _original_entries(photos: list) -> list:
    storage, taken = object_storage(), set()
    return [storage_entry(storage=storage, key=photo.original_key, size=photo.size, modified=photo.taken_at,
                          name=unique_name(safe_name(photo.original_filename), taken)) for photo in photos]

