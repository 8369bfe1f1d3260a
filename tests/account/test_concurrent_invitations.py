"""Two people following one invitation link at once, with real threads: one joins, the other is
told the link was used; two managers stepping down at once leave one manager."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from projects import services
from projects.models import Invitation, Membership
from tests import factories


def accept(invitation_id: int, user) -> str:
    try:
        invitation = Invitation.objects.get(pk=invitation_id)
        services.accept_invitation(invitation=invitation, user=user, now=timezone.now())
        return "joined"
    except services.InvitationClosed:
        return "refused"
    finally:
        connection.close()


def step_down(membership_id: int) -> str:
    try:
        membership = Membership.objects.select_related("team").get(pk=membership_id)
        services.change_role(membership=membership, role=Membership.Role.MEMBER, by=None)
        return "stepped down"
    except services.LastManager:
        return "refused"
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_one_link_followed_twice_at_once_joins_once():
    team = factories.make_team()
    manager = factories.make_user()
    factories.add_member(team, manager, Membership.Role.MANAGER)
    invitation, _token = services.invite(
        team=team, email="x@example.com", role="member", by=manager, now=timezone.now()
    )
    users = [factories.make_user(), factories.make_user()]

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda u: accept(invitation.pk, u), users))

    assert sorted(outcomes) == ["joined", "refused"]
    assert Membership.objects.filter(team=team, user__in=users).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_managers_stepping_down_at_once_leave_one_manager():
    team = factories.make_team()
    managers = [factories.make_user(), factories.make_user()]
    memberships = [factories.add_member(team, m, Membership.Role.MANAGER) for m in managers]

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = list(pool.map(lambda m: step_down(m.pk), memberships))

    assert sorted(outcomes) == ["refused", "stepped down"]
    assert Membership.objects.filter(team=team, role=Membership.Role.MANAGER).count() == 1
