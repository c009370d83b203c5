from django.urls import path

from events import apis, gallery_apis, live_apis
from core import converters  # noqa: F401  (registers <id:…>)

urlpatterns = [
    path("events/", apis.EventListCreateApi.as_view(), name="event-list"),
    path("events/<id:event_id>/", apis.EventDetailApi.as_view(), name="event-detail"),
    path("events/<id:event_id>/photos/", apis.PhotoListUploadApi.as_view(), name="event-photos"),
    path("events/<id:event_id>/live/", live_apis.EventLiveApi.as_view(), name="event-live"),
    path("events/<id:event_id>/upload-rejections/", live_apis.UploadRejectionListApi.as_view(),
         name="event-upload-rejections"),
    path("photos/<id:photo_id>/", apis.PhotoDetailApi.as_view(), name="photo-detail"),
    path("photos/<id:photo_id>/original", apis.PhotoOriginalApi.as_view(), name="photo-original"),
    path("photos/<id:photo_id>/preview", apis.PhotoDerivativeApi.as_view(kind="preview"), name="photo-preview"),
    path("photos/<id:photo_id>/thumbnail", apis.PhotoDerivativeApi.as_view(kind="thumbnail"), name="photo-thumbnail"),
    # gallery
    path("events/<id:event_id>/photos/hide/", gallery_apis.PhotoBulkHideApi.as_view(), name="event-photos-hide"),
    path("events/<id:event_id>/photos/download/", gallery_apis.PhotoSelectionZipApi.as_view(), name="event-photos-download"),
]
