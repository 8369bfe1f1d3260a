"""The floor: the least a logged-in, CSRF-checked write can cost on this stack.

One POST through the same middleware as every page (session, authentication, CSRF, login
required), one row inserted in a transaction, a few bytes back. Autosave figures are read as
multiples of it, so the machine, the database and the middleware cancel out.
"""

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST


@require_POST
def floor(request: HttpRequest) -> HttpResponse:
    table = connection.ops.quote_name(settings.FLOOR_TABLE)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, value, created) VALUES (%s, %s, %s)",
            [request.user.pk, request.POST.get("value", "")[:100], timezone.now()],
        )
    return HttpResponse('<span id="floor-status">Saved</span>')
