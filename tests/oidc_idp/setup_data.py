"""Set up the test provider's database: `python -m tests.oidc_idp.setup_data < spec.json`.

Runs in a process of its own (DJANGO_SETTINGS_MODULE=tests.oidc_idp.settings, OIDC_IDP_DB set), so
the calling test process's Django settings are never touched. The spec on stdin:

    {"client": {"client_id": ..., "client_secret": ..., "redirect_uris": [...]},
     "users": [{"username", "password", "email", "name", "groups": [...]}, ...]}

It migrates, creates an RSA signing key (creatersakey), the confidential client (response type
"code", no consent page) and the users with their groups.
"""

import json
import os
import sys


def main() -> None:
    spec = json.load(sys.stdin)

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_idp.settings")
    django.setup()

    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType, RSAKey

    call_command("migrate", verbosity=0, interactive=False)
    call_command("creatersakey")
    if not RSAKey.objects.exists():  # creatersakey reports its failures on stdout and carries on.
        sys.exit("creatersakey made no RSA key")

    client_spec = spec["client"]
    client = Client.objects.create(
        name=client_spec.get("name", "Paydown"),
        client_type="confidential",
        client_id=client_spec["client_id"],
        client_secret=client_spec["client_secret"],
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=True,
    )
    client.redirect_uris = client_spec["redirect_uris"]
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))

    for user_spec in spec["users"]:
        first, _, last = user_spec.get("name", "").partition(" ")
        user = User.objects.create_user(
            username=user_spec["username"],
            password=user_spec["password"],
            email=user_spec.get("email", ""),
            first_name=first,
            last_name=last,
        )
        for name in user_spec.get("groups", []):
            user.groups.add(Group.objects.get_or_create(name=name)[0])


if __name__ == "__main__":
    main()
