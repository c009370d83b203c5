from django.urls import path

from core import converters  # noqa: F401  (registers <id:…>)
from webhooks import apis

urlpatterns = [
    path("studio/webhooks/", apis.WebhookListCreateApi.as_view(), name="studio-webhooks"),
    path("studio/webhooks/<id:webhook_id>/", apis.WebhookDetailApi.as_view(), name="studio-webhook-detail"),
    path("studio/webhooks/<id:webhook_id>/deliveries/", apis.WebhookDeliveryListApi.as_view(),
         name="studio-webhook-deliveries"),
    path("studio/webhooks/<id:webhook_id>/deliveries/<uuid:delivery_id>/redeliver/", apis.WebhookRedeliverApi.as_view(),
         name="studio-webhook-redeliver"),
    path("studio/webhooks/<id:webhook_id>/ping/", apis.WebhookPingApi.as_view(), name="studio-webhook-ping"),
]
