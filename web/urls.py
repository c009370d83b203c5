from django.urls import path

from web.views import analytics, auth, events, people, removals, sharing, studio
from web.views import webhooks
from web.views import api_keys
from web.views import camera
from web.views import faces
from core import converters  # noqa: F401  (registers <id:…>)

app_name = "web"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("", studio.dashboard, name="dashboard"),
    path("events/new/", events.event_create, name="event-create"),
    path("events/<id:event_id>/", events.event_detail, name="event-detail"),
    path("events/<id:event_id>/edit/", events.event_edit, name="event-edit"),
    path("events/<id:event_id>/delete/", events.event_delete, name="event-delete"),
    path("events/<id:event_id>/camera-upload/password/", camera.camera_password_new, name="event-camera-password"),
    path("events/<id:event_id>/camera-upload/switch/", camera.camera_switch, name="event-camera-switch"),
    path("events/<id:event_id>/people/", people.people, name="event-people"),
    path("events/<id:event_id>/people/<id:person_id>/", people.person_detail, name="person-detail"),
    path("events/<id:event_id>/analytics/", analytics.analytics, name="event-analytics"),
    path("events/<id:event_id>/sharing/", sharing.sharing, name="event-sharing"),
    path("events/<id:event_id>/sharing/notify/", sharing.notify_policy_page, name="event-notify-policy"),
    path("events/<id:event_id>/sharing/links/<id:link_id>/unlock/", sharing.share_link_unlock_page,
         name="share-link-unlock"),
    path("events/<id:event_id>/removal-requests/", removals.removal_requests, name="event-removals"),
    path("events/<id:event_id>/removal-requests/<id:request_id>/", removals.removal_request_decision,
         name="event-removal-decide"),
    path("events/<id:event_id>/removal-requests/policy/", removals.removal_policy_page, name="event-removal-policy"),
    path("studio/webhooks/", webhooks.webhooks, name="webhooks"),
    path("studio/webhooks/<id:webhook_id>/delete/", webhooks.webhook_delete, name="webhook-delete"),
    path("studio/webhooks/<id:webhook_id>/ping/", webhooks.webhook_ping, name="webhook-ping"),
    path("studio/webhooks/<id:webhook_id>/deliveries/<uuid:delivery_id>/redeliver/", webhooks.delivery_redeliver,
         name="webhook-redeliver"),
    path("studio/api-keys/", api_keys.api_keys, name="api-keys"),
    path("studio/api-keys/<id:key_id>/revoke/", api_keys.api_key_revoke_page, name="api-key-revoke"),
    # faces
    path("events/<id:event_id>/faces/unassigned/", faces.unassigned_faces, name="event-unassigned-faces"),
]

# studio-self: "Forgot password?" (Django's views), the team and the studio's settings.
from web.views import passwords  # noqa: E402

urlpatterns += [
    path("password-reset/", passwords.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", passwords.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path("password-reset/done/", passwords.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    path("password-reset/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
]

from web.views import team  # noqa: E402  (studio-self)

urlpatterns += [
    path("studio/team/", team.team, name="team"),
    path("studio/team/<id:user_id>/role/", team.member_role_page, name="team-member-role"),
    path("studio/team/<id:user_id>/remove/", team.member_remove_page, name="team-member-remove"),
    path("invitation/<uidb64>/<token>/", team.InvitationView.as_view(), name="invitation"),
]

from web.views import studio_settings  # noqa: E402  (studio-self)

urlpatterns += [
    path("studio/settings/", studio_settings.studio_settings, name="studio-settings"),
    path("studio/settings/logo.png", studio_settings.studio_logo, name="studio-logo"),
]
