"""Teams from the identity provider (issue #16): PAYDOWN_IDP_TEAMS maps IdP groups (an OIDC claim or
a SAML attribute) to teams and roles, applied at each sign-in. Plain functions over memberships;
the sign-in glue is assessment/people/signin.py."""

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.log import Action, record
from projects.models import Membership, Profile, Team

RANK = {Membership.Role.MEMBER: 1, Membership.Role.MANAGER: 2}


@dataclass(frozen=True)
class Grant:
    team: str  # the team's slug
    role: str
    name: str = ""  # the team's name, should the first sign-in make it


def parse_mapping(raw: dict[str, Any]) -> dict[str, Grant]:
    """`{"idp-group": {"team": "slug", "role": "member"|"manager"}}`; ValueError names what is
    wrong (read once, when settings load, so a typo stops the start and not a sign-in)."""
    mapping = {}
    for group, grant in raw.items():
        if (
            not isinstance(grant, dict)
            or set(grant) - {"team", "role", "name"}
            or "team" not in grant
        ):
            raise ValueError(f"PAYDOWN_IDP_TEAMS[{group!r}]: give {{'team': slug, 'role': role}}")
        role = grant.get("role", Membership.Role.MEMBER)
        if role not in RANK:
            raise ValueError(f"PAYDOWN_IDP_TEAMS[{group!r}].role: member or manager, not {role!r}")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", str(grant["team"])):
            raise ValueError(f"PAYDOWN_IDP_TEAMS[{group!r}].team: a slug (a-z, 0-9 and -)")
        mapping[str(group)] = Grant(str(grant["team"]), role, str(grant.get("name", "")))
    return mapping


def groups_of(claims: dict[str, Any], claim: str) -> list[str]:
    """The IdP groups in the sign-in's claims: a list, or one string; anything else is none."""
    value = claims.get(claim, [])
    if isinstance(value, str):
        value = [value]
    return (
        sorted({str(g) for g in value if isinstance(g, str | int)})
        if isinstance(value, list)
        else []
    )


def granted_roles(groups: list[str], mapping: dict[str, Grant]) -> dict[str, str]:
    """Team slug → the highest role the groups grant in it."""
    roles: dict[str, str] = {}
    for group in groups:
        grant = mapping.get(group)
        if grant and RANK[grant.role] > RANK.get(roles.get(grant.team), 0):
            roles[grant.team] = grant.role
    return roles


@transaction.atomic
def apply_groups(*, user, groups: list[str], mapping: dict[str, Grant]) -> dict[str, str]:
    """Make the user's memberships of the mapped teams what the groups grant: joined, role set, or
    removed when no group grants that team any more. Teams the mapping does not name (joined by
    invitation) are left alone; a mapped team not made yet is made. The groups are kept on the
    profile; returns slug → role."""
    roles = granted_roles(groups, mapping)
    mapped = {grant.team for grant in mapping.values()}
    names = {grant.team: grant.name for grant in mapping.values() if grant.name}
    before = dict(
        Membership.objects.filter(user=user, team__slug__in=mapped).values_list(
            "team__slug", "role"
        )
    )
    for slug, role in roles.items():
        # A company set up from its identity provider needs no admin to make its teams.
        team, _created = Team.objects.get_or_create(
            slug=slug, defaults={"name": names.get(slug) or slug.replace("-", " ").capitalize()}
        )
        Membership.objects.update_or_create(team=team, user=user, defaults={"role": role})
        if before.get(slug) != role:
            _record_sync(user, team.pk, before.get(slug), role)
    for slug, team_id in Team.objects.filter(slug__in=set(before) - set(roles)).values_list(
        "slug", "pk"
    ):
        _record_sync(user, team_id, before[slug], None)
    Membership.objects.filter(user=user, team__slug__in=mapped - set(roles)).delete()
    Profile.objects.update_or_create(
        user=user, defaults={"idp_groups": groups, "idp_synced_at": timezone.now()}
    )
    return roles


def _record_sync(user, team_id: int, before: str | None, after: str | None) -> None:
    """The identity provider, not a person, changed a role: the entry has no actor."""
    record(
        Action.MEMBER_REMOVE if after is None else Action.ROLE_CHANGE,
        team_id=team_id,
        subject=user.get_username(),
        details={"from": before, "to": after, "source": "identity provider"},
    )
