from django.http import HttpRequest, HttpResponse
from django.views.csrf import csrf_failure as django_csrf_failure


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Placeholder replaced by the contribution work: Django's page until then."""
    return django_csrf_failure(request, reason=reason)
