"""Container HEALTHCHECK: exit 0 when /healthz answers 200 (the app runs and its database answers)."""

import os
import sys
import urllib.request


def health_host() -> str:
    """A Host header that Django accepts: the first ALLOWED_HOSTS entry, made concrete."""
    host = os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
    # "*" (any host) or an empty list: "localhost" is valid and passes a wildcard.
    return "localhost" if not host or "*" in host else host


def main() -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz",
        headers={"Host": health_host()},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:
            return 0 if response.status == 200 else 1
    except OSError:
        return 1


if __name__ == "__main__":
    sys.exit(main())
