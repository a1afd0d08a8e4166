from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

WTF_CSRF_ENABLED = True


@csrf_exempt
# ruleid: gates.python.csrf-exempt
def cmd_lab(request):
    return run(request.POST.get("domain"))


@method_decorator(csrf_exempt, name="dispatch")
# ruleid: gates.python.csrf-exempt
class WebhookView(View):
    pass


# ok: gates.python.csrf-exempt
def protected_view(request):
    return run(request.POST.get("domain"))


# ruleid: gates.python.csrf-exempt
urlpatterns = [path("hook", csrf_exempt(protected_view))]


class TestingConfig:
    # ok: gates.python.csrf-protection-disabled
    WTF_CSRF_ENABLED = False


class ProductionConfig:
    # ruleid: gates.python.csrf-protection-disabled
    WTF_CSRF_ENABLED = False


def configure(app):
    # ruleid: gates.python.csrf-protection-disabled
    app.config["WTF_CSRF_ENABLED"] = False


# ruleid: gates.python.csrf-protection-disabled
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]


def settings_ok():
    # ok: gates.python.csrf-protection-disabled
    MIDDLEWARE = [
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ]
    return MIDDLEWARE
