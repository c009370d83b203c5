"""Guest and organizer pages, mounted at the site root (namespace "sharing").

No trailing slashes after the key: the QR code encodes exactly /s/<token>.
"""
from django.urls import path

from core import converters  # noqa: F401  (registers <id:…>)
from sharing import brand, notify_views, views

app_name = "sharing"

urlpatterns = [
    path("s/", views.code_entry, name="code"),
    path("language/", views.set_language, name="set-language"),
    path("s/<str:key>", views.landing, name="landing"),
    path("s/<str:key>/pin", views.pin, name="pin"),
    path("s/<str:key>/consent", views.consent, name="consent"),
    path("s/<str:key>/selfie", views.selfie, name="selfie"),
    path("s/<str:key>/photos", views.photos, name="photos"),
    path("s/<str:key>/photos/<id:photo_id>", views.photo, name="photo"),
    path("s/<str:key>/photos/<id:photo_id>/thumb.jpg", views.photo_thumb, name="photo-thumb"),
    path("s/<str:key>/forget", views.forget, name="forget"),
    path("s/<str:key>/forget/verify", views.forget_verify, name="forget-verify"),
    path("s/<str:key>/notify", notify_views.notify_subscribe, name="notify-subscribe"),
    path("s/<str:key>/notify/stop", notify_views.notify_stop, name="notify-stop"),
    path("s/<str:key>/back/<str:token>", notify_views.notify_back, name="notify-back"),
    path("notify/unsubscribe/<str:token>", notify_views.notify_unsubscribe_page, name="notify-unsubscribe"),
    path("organizer/set-password/done/", views.SetPasswordDoneView.as_view(), name="set-password-done"),
    path("organizer/set-password/<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
    path("s/<str:key>/logo.png", brand.guest_logo, name="guest-logo"),  # studio-self
]
