from django.urls import path

from web.views import analytics, auth, events, people, sharing, studio

app_name = "web"

urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("", studio.dashboard, name="dashboard"),
    path("events/new/", events.event_create, name="event-create"),
    path("events/<int:event_id>/", events.event_detail, name="event-detail"),
    path("events/<int:event_id>/edit/", events.event_edit, name="event-edit"),
    path("events/<int:event_id>/delete/", events.event_delete, name="event-delete"),
    path("events/<int:event_id>/people/", people.people, name="event-people"),
    path("events/<int:event_id>/people/<int:person_id>/", people.person_detail, name="person-detail"),
    path("events/<int:event_id>/analytics/", analytics.analytics, name="event-analytics"),
    path("events/<int:event_id>/sharing/", sharing.sharing, name="event-sharing"),
]
