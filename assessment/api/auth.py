"""Bearer tokens for the API, with a per-token request budget kept in Django's cache."""

import math
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from assessment import access
from assessment.api.problems import Problem
from projects.models import ApiToken

# Requests per token per minute (settings.PAYDOWN_API_RATE). The count lives in the cache: with the
# default per-process memory cache each process counts alone, so the real budget is this times the
# number of workers until a shared cache (Redis) is configured (docs/api.md).
WINDOW_SECONDS = 60
LAST_USED_EVERY = timedelta(minutes=1)  # how stale "last used" may be: one write a minute at most


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        now = timezone.now()
        found = access.api_token(token, now)
        if found is None:
            return None
        _spend_budget(found)
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.api_token = found
        return found


def _spend_budget(token: ApiToken) -> None:
    limit = settings.PAYDOWN_API_RATE
    window = int(time.time() // WINDOW_SECONDS)
    key = f"paydown-api-rate:{token.prefix}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
    try:
        used = cache.incr(key)
    except ValueError:  # evicted between add and incr: count this request as the first
        cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
        used = 1
    if used is None:
        # A shared cache that is down answers None (django-redis IGNORE_EXCEPTIONS): the request
        # goes uncounted rather than failing, as an outage must not stop the API (issue #19).
        return
    if used > limit:
        retry = math.ceil((window + 1) * WINDOW_SECONDS - time.time())
        problem = Problem(
            429, "Too many requests", f"This token may make {limit} requests a minute."
        )
        problem.headers["Retry-After"] = str(max(retry, 1))
        raise problem


def require_scope(request: HttpRequest, scope: str) -> ApiToken:
    token: ApiToken = request.api_token
    if not token.allows(scope):
        raise Problem(403, "Missing scope", f"This needs a token with the '{scope}' scope.")
    return token
