from django.urls import path

from camera import apis
from core import converters  # noqa: F401  (registers <id:…>)

urlpatterns = [
    path("events/<id:event_id>/camera-upload/", apis.CameraUploadApi.as_view(), name="event-camera-upload"),
    path("events/<id:event_id>/camera-upload/rotate/", apis.CameraUploadRotateApi.as_view(),
         name="event-camera-upload-rotate"),
]
