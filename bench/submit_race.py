"""Respondents keep autosaving while a manager submits: does any answer land after the submit, and is
every acknowledged save in the stored snapshot?

N respondents (threads, each its own user and test Client, HTTP through the whole middleware stack)
autosave levels and notes to the default bank's questions for the given seconds; halfway, a manager
submits. Afterwards it counts answer and history rows newer than the submit (must be 0), saves that
got 200 but whose value is not in the stored per-respondent snapshot (lost, must be 0), and the
status codes seen (409 after the submit).

Run from the repository root: .venv/bin/python bench/submit_race.py [--respondents 20] [--seconds 60]
[--database-url postgres://…]
"""

import threading
import time
from collections import Counter

import _django

HTMX = {"HX-Request": "true"}


def main() -> None:
    parser = _django.parser(__doc__)
    parser.add_argument("--respondents", type=int, default=20, help="concurrent respondents (20)")
    parser.add_argument("--seconds", type=float, default=60, help="how long they save (60)")
    args = parser.parse_args()
    print(_django.setup("submit-race", args.database_url))

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from assessment import services
    from assessment.models import Answer, AnswerChange, AnswerSnapshot, Assessment
    from banks import files
    from projects.models import Membership, Project, Team

    version = next(v for v in files.load_shipped_banks() if v.bank.slug == "ml-technical-debt")
    keys = list(
        version.questions.order_by("category__order", "order").values_list("key", flat=True)
    )
    team = Team.objects.create(name="Race team", slug="race-team")
    project = Project.objects.create(team=team, name="Race model", slug="race-model")
    users = []
    for i in range(args.respondents + 1):
        user = get_user_model().objects.create_user(f"racer{i}", password=None)
        role = Membership.Role.MANAGER if i == 0 else Membership.Role.MEMBER
        Membership.objects.create(team=team, user=user, role=role)
        users.append(user)
    manager, respondents = users[0], users[1:]
    assessment = services.start_assessment(
        project=project, version=version, started_by=manager, title="Race"
    )
    url = f"/assessments/{assessment.pk}/questions/{{key}}/"
    connection.close()

    acknowledged: dict[tuple[str, str], str] = {}  # (user, key) → last level that got a 200
    statuses: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    start = threading.Barrier(len(respondents) + 1)

    def respond(index: int) -> None:
        client = Client()
        client.force_login(respondents[index])
        try:
            start.wait()
            n = 0
            while time.monotonic() < deadline:
                key = keys[(index * 7 + n) % len(keys)]
                level = str((index + n) % 5)
                response = client.post(
                    url.format(key=key),
                    {"choice": level, "notes": f"save {n}", "links": ""},
                    headers=HTMX,
                )
                with lock:
                    statuses[response.status_code] += 1
                    if response.status_code == 200:
                        acknowledged[(respondents[index].username, key)] = level
                n += 1
        finally:
            connection.close()

    def submit() -> None:
        client = Client()
        client.force_login(manager)
        try:
            start.wait()
            time.sleep(args.seconds / 2)
            response = client.post(
                f"/assessments/{assessment.pk}/submit/", {"confirm_open_items": "yes"}
            )
            print(f"submit: HTTP {response.status_code} after {args.seconds / 2:.0f} s")
        finally:
            connection.close()

    threads = [threading.Thread(target=respond, args=(i,)) for i in range(len(respondents))]
    threads.append(threading.Thread(target=submit))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    submitted = Assessment.objects.get(pk=assessment.pk)
    late_answers = Answer.objects.filter(
        assessment=submitted, updated_at__gt=submitted.submitted_at
    ).count()
    late_changes = AnswerChange.objects.filter(
        assessment=submitted, changed_at__gt=submitted.submitted_at
    ).count()
    stored = {
        (s.respondent, s.question_key): f"{s.value.normalize():f}"
        for s in AnswerSnapshot.objects.filter(result__assessment=submitted)
        if s.value is not None
    }
    lost = sum(1 for k, level in acknowledged.items() if stored.get(k) != level)
    print()
    _django.table(
        ["respondents", "seconds", "saves", "answers after submit", "history after submit", "lost"],
        [
            [
                len(respondents),
                f"{args.seconds:.0f}",
                sum(statuses.values()),
                late_answers,
                late_changes,
                lost,
            ]
        ],
    )
    print("status codes: " + ", ".join(f"{code} × {n}" for code, n in sorted(statuses.items())))


if __name__ == "__main__":
    main()
