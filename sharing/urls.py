"""API routes, mounted under /api/v1/ (namespace "api")."""
from django.urls import path

from sharing import apis, guest_apis, guest_forget_apis, notify_apis, organizer_apis, policy_apis, removal_apis
from sharing import studio_settings_apis
from core import converters  # noqa: F401  (registers <id:…>)

urlpatterns = [
    path("events/<id:event_id>/removal-requests/", removal_apis.RemovalRequestListApi.as_view(), name="removal-request-list"),
    path("events/<id:event_id>/removal-requests/<id:request_id>/confirm/",
         removal_apis.RemovalRequestDecideApi.as_view(confirm=True), name="removal-request-confirm"),
    path("events/<id:event_id>/removal-requests/<id:request_id>/reject/",
         removal_apis.RemovalRequestDecideApi.as_view(confirm=False), name="removal-request-reject"),
    path("events/<id:event_id>/share-links/", apis.ShareLinkListCreateApi.as_view(), name="share-link-list"),
    path("events/<id:event_id>/share-links/<id:link_id>/", apis.ShareLinkDetailApi.as_view(), name="share-link-detail"),
    path("events/<id:event_id>/share-links/<id:link_id>/revoke/", apis.ShareLinkRevokeApi.as_view(), name="share-link-revoke"),
    path("events/<id:event_id>/share-links/<id:link_id>/unlock/", apis.ShareLinkUnlockApi.as_view(), name="share-link-unlock"),
    path("events/<id:event_id>/share-links/<id:link_id>/<str:name>", apis.ShareLinkPrintableApi.as_view(),
         name="share-link-printable"),
    path("events/<id:event_id>/organizers/", organizer_apis.OrganizerListCreateApi.as_view(), name="organizer-list"),
    path("events/<id:event_id>/organizers/<id:user_id>/", organizer_apis.OrganizerDeleteApi.as_view(), name="organizer-detail"),
    path("studio/sharing-policy/", policy_apis.StudioPolicyApi.as_view(), name="studio-sharing-policy"),
    path("guest/<str:token>/", guest_apis.GuestLinkApi.as_view(), name="guest-link"),
    path("guest/<str:token>/session", guest_apis.GuestSessionApi.as_view(), name="guest-session"),
    path("guest/<str:token>/search", guest_apis.GuestSearchApi.as_view(), name="guest-search"),
    path("guest/<str:token>/photos", guest_apis.GuestPhotoListApi.as_view(), name="guest-photos"),
    path("guest/<str:token>/photos/<id:photo_id>/preview", guest_apis.GuestPhotoFileApi.as_view(kind="preview"),
         name="guest-photo-preview"),
    path("guest/<str:token>/photos/<id:photo_id>/original", guest_apis.GuestPhotoFileApi.as_view(kind="original"),
         name="guest-photo-original"),
    path("guest/<str:token>/download.zip", guest_apis.GuestZipApi.as_view(), name="guest-download-zip"),
    path("guest/<str:token>/forget", guest_forget_apis.GuestForgetApi.as_view(), name="guest-forget"),
    path("guest/<str:token>/forget/verify", guest_forget_apis.GuestForgetVerifyApi.as_view(), name="guest-forget-verify"),
    path("events/<id:event_id>/removal-policy/", removal_apis.RemovalPolicyApi.as_view(), name="removal-policy"),
    path("guest/<str:token>/notify", notify_apis.GuestNotifyApi.as_view(), name="guest-notify"),
    path("events/<id:event_id>/notify-policy/", notify_apis.NotifyPolicyApi.as_view(), name="notify-policy"),
    path("studio/notify-channels/", notify_apis.NotifyChannelListCreateApi.as_view(), name="notify-channel-list"),
    path("studio/notify-channels/<id:channel_id>/", notify_apis.NotifyChannelDeleteApi.as_view(),
         name="notify-channel-detail"),
    path("studio/settings/", studio_settings_apis.StudioSettingsApi.as_view(), name="studio-settings"),  # studio-self
    path("studio/settings/logo", studio_settings_apis.StudioLogoApi.as_view(), name="studio-logo"),  # studio-self
]
