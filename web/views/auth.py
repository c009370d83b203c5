"""Sign in and out with Django's own views; only the form and template are ours."""
from django.contrib.auth import views as auth_views

from core.api import public
from web.forms import EmailLoginForm


@public("the sign-in form")
class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = EmailLoginForm
    redirect_authenticated_user = True


@public("signs the caller out; no tenant data")
class LogoutView(auth_views.LogoutView):
    pass
