from django.urls import path

from recognition import apis, face_apis, people_apis, suggestion_apis, undo_apis
from core import converters  # noqa: F401  (registers <id:…>)

urlpatterns = [
    path("events/<id:event_id>/people/", people_apis.PersonListApi.as_view(), name="event-people"),
    path("events/<id:event_id>/people/undo/", undo_apis.CurationUndoApi.as_view(), name="event-people-undo"),
    path("events/<id:event_id>/people/recluster/", apis.EventReclusterApi.as_view(), name="event-people-recluster"),
    path("events/<id:event_id>/people/suggestions/", suggestion_apis.MergeSuggestionListApi.as_view(),
         name="event-people-suggestions"),
    path("events/<id:event_id>/people/suggestions/dismiss/", suggestion_apis.MergeSuggestionDismissApi.as_view(),
         name="event-people-suggestions-dismiss"),
    path("events/<id:event_id>/people/suggestions/restore/", suggestion_apis.MergeSuggestionRestoreApi.as_view(),
         name="event-people-suggestions-restore"),
    path("events/<id:event_id>/analytics/", apis.EventAnalyticsApi.as_view(), name="event-analytics"),
    path("people/<id:person_id>/", apis.PersonDetailApi.as_view(), name="person-detail"),
    path("people/<id:person_id>/faces/", apis.PersonFacesApi.as_view(), name="person-faces"),
    path("people/<id:person_id>/merge/", apis.PersonMergeApi.as_view(), name="person-merge"),
    path("people/<id:person_id>/split/", apis.PersonSplitApi.as_view(), name="person-split"),
    path("people/<id:person_id>/reject/", apis.PersonRejectApi.as_view(), name="person-reject"),
    path("people/<id:person_id>/album.zip", apis.PersonAlbumApi.as_view(), name="person-album"),
    path("people/<id:person_id>/album/email/", apis.PersonAlbumEmailApi.as_view(), name="person-album-email"),
    path("albums/<str:token>/download.zip", apis.AlbumLinkDownloadApi.as_view(), name="album-link-download"),
    path("faces/<id:face_id>/thumbnail", apis.FaceThumbnailApi.as_view(), name="face-thumbnail"),
    path("events/<id:event_id>/people/counts/", people_apis.PeopleCountsApi.as_view(), name="event-people-counts"),  # people-scale
    path("events/<id:event_id>/people/hide/", people_apis.PeopleHideApi.as_view(), name="event-people-hide"),  # people-scale
    # faces
    path("photos/<id:photo_id>/faces/", face_apis.PhotoFacesApi.as_view(), name="photo-faces"),
    path("events/<id:event_id>/faces/", face_apis.EventFacesApi.as_view(), name="event-faces"),
    path("events/<id:event_id>/faces/assign/", face_apis.FacesAssignApi.as_view(), name="event-faces-assign"),
    path("events/<id:event_id>/faces/set-aside/", face_apis.FacesSetAsideApi.as_view(), name="event-faces-set-aside"),
    path("events/<id:event_id>/faces/restore/", face_apis.FacesRestoreApi.as_view(), name="event-faces-restore"),
    path("events/<id:event_id>/faces/undo/", face_apis.FacesUndoApi.as_view(), name="event-faces-undo"),
    path("people/<id:person_id>/cover/", face_apis.PersonCoverApi.as_view(), name="person-cover"),
]
