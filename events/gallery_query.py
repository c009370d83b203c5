"""The photos list's query string (sort, filters) and its paging, read by events.apis."""
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from events.models import PhotoState
from events.selectors import PHOTO_SORTS

ID_MAX = 2**63 - 1


class GalleryPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PhotoListQuery(serializers.Serializer):
    """Query parameters of `GET /api/v1/events/{id}/photos/`."""

    sort = serializers.ChoiceField(choices=list(PHOTO_SORTS), default="capture",
                                   help_text="`capture` (EXIF capture time, default) or `upload` (upload order).")
    hidden = serializers.BooleanField(required=False, allow_null=True, default=None,
                                      help_text="`true`: only photos hidden from guests; `false`: only visible ones.")
    state = serializers.ChoiceField(choices=PhotoState.choices, required=False,
                                    help_text="Only photos in this processing state (`failed`: with their reason).")
    person = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX,
                                      help_text="Only photos this person (of this event) is in.")
    faces = serializers.ChoiceField(choices=["none", "some"], required=False,
                                    help_text="`none`: processed photos where no face was found; `some`: with faces.")
    page = serializers.IntegerField(required=False, min_value=1, max_value=ID_MAX)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=GalleryPagination.max_page_size,
                                         help_text="Photos a page (default 50, at most 200).")

    def photo_query(self) -> dict:
        data = self.validated_data
        return {name: data.get(name) for name in ("sort", "hidden", "state", "person", "faces")}
