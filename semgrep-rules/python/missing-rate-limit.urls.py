from django.contrib.auth import views as auth_views
from django.urls import include, path
from django_ratelimit.decorators import ratelimit

urlpatterns = [
    # ruleid: gates.python.django-auth-views-without-rate-limit
    path("", include("django.contrib.auth.urls")),
    # ruleid: gates.python.django-auth-views-without-rate-limit
    path("login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    # ruleid: gates.python.django-auth-views-without-rate-limit
    path("reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    # ok: gates.python.django-auth-views-without-rate-limit
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # ok: gates.python.django-auth-views-without-rate-limit
    path(
        "signin/",
        ratelimit(key="ip", rate="5/m", block=True)(auth_views.LoginView.as_view()),
        name="signin",
    ),
    # ok: gates.python.django-auth-views-without-rate-limit
    path("accounts/", include("allauth.urls")),
]
