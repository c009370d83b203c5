"""REST endpoints of the event page's live view: what arrived (from every source), the counts per
state, the failures with reasons, and the files refused at upload."""
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from events import api_examples as ex
from events.api import EventApi
from events.apis import PhotoOutputSerializer
from events.gallery_facets import photos_focus
from events.live import LIVE_ITEMS, event_live, upload_rejection_list
from events.models import PhotoSource, UploadRejection


class UploadRejectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = UploadRejection
        fields = ["id", "source", "filename", "reason", "created_at"]


class LiveCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    queued = serializers.IntegerField()
    processing = serializers.IntegerField()
    done = serializers.IntegerField()
    failed = serializers.IntegerField()
    rejected = serializers.IntegerField(help_text="Files refused at upload (never stored).")


class LiveOutputSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="Send it back as `since` on the next poll.")
    changed = serializers.BooleanField(help_text="False when `since` was the current cursor: the lists are left out.")
    counts = LiveCountsSerializer(required=False)
    sources = serializers.DictField(child=serializers.IntegerField(), required=False,
                                    help_text="Photos per source: web, api, ftp, hot_folder, import.")
    arrivals = PhotoOutputSerializer(many=True, required=False)
    failures = PhotoOutputSerializer(many=True, required=False)
    rejections = UploadRejectionSerializer(many=True, required=False)


_REJECTION = {"id": 88, "source": "ftp", "filename": "DSC_0412.NEF",
              "reason": "unsupported image type; send JPEG, PNG, WebP, TIFF or HEIC",
              "created_at": "2026-06-20T15:03:10Z"}
_COUNTS = {"total": 120, "queued": 6, "processing": 4, "done": 109, "failed": 1, "rejected": 1}
_SOURCES = {"web": 40, "api": 0, "ftp": 78, "hot_folder": 2, "import": 0}
_FAILED = {**ex.PHOTO, "id": 1041, "state": "failed", "source": "ftp", "preview_url": None, "thumbnail_url": None,
           "failure_reason": "corrupt or truncated image data (image file is truncated)"}


class EventLiveApi(EventApi):
    @extend_schema(
        operation_id="events_live", summary="Poll an event's live view",
        parameters=[OpenApiParameter("since", str, OpenApiParameter.QUERY, required=False,
                                     description="The `cursor` of your previous poll.")],
        responses=LiveOutputSerializer,
        examples=[
            OpenApiExample("Something changed", response_only=True, value={
                "cursor": "5f0c2a91d3e4b7a6", "changed": True, "counts": _COUNTS, "sources": _SOURCES,
                "arrivals": [{**ex.PHOTO, "source": "ftp"}], "failures": [_FAILED], "rejections": [_REJECTION]}),
            OpenApiExample("Nothing changed since the cursor", response_only=True,
                           value={"cursor": "5f0c2a91d3e4b7a6", "changed": False}),
        ],
        description=f"For a page that shows photos as they arrive (web, API, camera FTP, hot folder): the "
                    f"counts per state (queued, processing, done, failed) and of refused files, photos per source, "
                    f"the {LIVE_ITEMS} newest arrivals, the {LIVE_ITEMS} latest failures with `failure_reason` and "
                    f"the {LIVE_ITEMS} latest refused files with their reason. Poll every few seconds with "
                    "`since` set to the last `cursor`: while nothing changed the answer is only "
                    "`{cursor, changed: false}` (two aggregate queries). The full lists are "
                    "`GET …/photos/` and `GET …/upload-rejections/`.",
    )
    def get(self, request, event_id: int):
        live = event_live(event=self.event, since=request.query_params.get("since") or None)
        if not live.changed:
            return Response({"cursor": live.cursor, "changed": False})
        context = {"focus": photos_focus([*live.arrivals, *live.failures])}  # one query, not one per photo
        return Response({
            "cursor": live.cursor, "changed": True, "counts": live.counts, "sources": live.sources,
            "arrivals": PhotoOutputSerializer(live.arrivals, many=True, context=context).data,
            "failures": PhotoOutputSerializer(live.failures, many=True, context=context).data,
            "rejections": UploadRejectionSerializer(live.rejections, many=True).data,
        })


class UploadRejectionListApi(EventApi):
    pagination_class = PageNumberPagination

    @extend_schema(
        operation_id="upload_rejections_list", summary="List files refused at upload",
        parameters=[OpenApiParameter("source", str, OpenApiParameter.QUERY, required=False,
                                     enum=PhotoSource.values, description="Only files that came in this way.")],
        responses=UploadRejectionSerializer(many=True),
        examples=[OpenApiExample("A page of refused files", response_only=True,
                                 value=ex.page(_REJECTION, "/api/v1/events/7/upload-rejections/"))],
        description="Files refused at upload for this event, newest first, 50 a page, from every source (web "
                    "page, API, camera FTP, hot folder): not an image, damaged or truncated, too large, a "
                    "decompression bomb. Nothing of such a file was stored; this row with its `reason` is what "
                    "remains.",
    )
    def get(self, request, event_id: int):
        source = request.query_params.get("source") or None
        if source is not None and source not in PhotoSource.values:
            raise ValidationError({"source": [f"Unknown source; one of {', '.join(PhotoSource.values)}."]})
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(upload_rejection_list(event=self.event, source=source), request, view=self)
        return paginator.get_paginated_response(UploadRejectionSerializer(page, many=True).data)

