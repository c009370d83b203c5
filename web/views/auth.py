"""Sign in and out with Django's own views; only the form and template are ours."""
from django.contrib.auth import views as auth_views

from web.forms import EmailLoginForm


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass
