"""Time autosave and the questionnaire page, then check concurrent autosaves all land.

One team of five members and a project; assessments of the default bank (ML technical debt).
For an assessment that 1 respondent has answered in full, then one that all 5 have, times:
the questionnaire page (GET /assessments/<id>/), an autosave that changes the level (htmx POST
to /assessments/<id>/questions/<key>/, which also writes a history row), and an autosave that
only changes the notes (what typing sends). Then 4 threads, each its own user and test Client,
post 25 autosaves each to a fresh assessment at once: total time, errors (non-200 responses) and
whether every answer landed (Answer rows counted).

Run from the repository root: .venv/bin/python bench/autosave.py [--runs 20] [--threads 4]
"""

import statistics
import threading
import time
from decimal import Decimal

import _django

HTMX = {"HX-Request": "true"}


def main() -> None:
    parser = _django.parser(__doc__)
    parser.add_argument("--runs", type=int, default=20, help="timed requests per case (20)")
    parser.add_argument("--threads", type=int, default=4, help="concurrent respondents (4)")
    parser.add_argument("--per-thread", type=int, default=25, help="autosaves per thread (25)")
    args = parser.parse_args()

    print(_django.setup("autosave", args.database_url))

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from assessment import services
    from assessment.models import Answer
    from banks import files
    from banks import queries as bank_queries
    from banks.models import BankVersion
    from projects.models import Membership, Project, Team

    files.load_shipped_banks()
    version = (
        BankVersion.objects.published()
        .filter(bank__slug="ml-technical-debt")
        .order_by("-number")
        .first()
    )
    keys = list(
        version.questions.order_by("category__order", "order").values_list("key", flat=True)
    )
    ids = dict(version.questions.values_list("key", "pk"))
    scale = bank_queries.scale_of(version)
    choices = [f"{value.normalize():f}" for value in scale]

    team = Team.objects.create(name="Bench team", slug="bench-team")
    project = Project.objects.create(team=team, name="Bench model", slug="bench-model")
    respondents = max(5, args.threads)
    users = []
    for i in range(respondents):
        user = get_user_model().objects.create_user(f"respondent{i + 1}", password=None)
        Membership.objects.create(team=team, user=user, role=Membership.Role.MEMBER)
        users.append(user)

    def answered_by(n: int, title: str):
        """An assessment whose first n respondents have answered every question."""
        assessment = services.start_assessment(
            project=project, version=version, started_by=users[0], title=title
        )
        for r, user in enumerate(users[:n]):
            for q, key in enumerate(keys):
                services.record_answer(
                    assessment=assessment,
                    question_id=ids[key],
                    respondent=user,
                    answer=services.AnswerInput(value=scale[(q + r) % len(scale)]),
                )
        return assessment

    client = Client()
    client.force_login(users[0])

    def post(c: Client, assessment, key: str, choice: str, notes: str = ""):
        data = {"choice": choice, "notes": notes, "links": "", "na_reason": "", "na_detail": ""}
        return c.post(f"/assessments/{assessment.pk}/questions/{key}/", data, headers=HTMX)

    def checked(response, what: str):
        if response.status_code != 200:
            raise SystemExit(f"{what}: HTTP {response.status_code}")
        return response

    rows = []
    for n in (1, 5):
        assessment = answered_by(n, f"{n} respondent(s)")
        # users[0] answered question q at scale[q % len(scale)]; each save moves it one level up.
        current = {key: q % len(scale) for q, key in enumerate(keys)}

        def page(_i, a=assessment):
            checked(client.get(f"/assessments/{a.pk}/"), "questionnaire")

        def change_level(i, a=assessment, current=current):
            key = keys[i % len(keys)]
            current[key] = (current[key] + 1) % len(scale)
            checked(post(client, a, key, choices[current[key]]), "autosave")

        def type_notes(i, a=assessment, current=current):
            key = keys[i % len(keys)]
            checked(post(client, a, key, choices[current[key]], f"note {i}"), "autosave")

        for label, fn in (
            ("questionnaire GET", page),
            ("autosave, level changed", change_level),
            ("autosave, notes only", type_notes),
        ):
            timing = _django.measure(fn, args.runs, warmup=2)
            rows.append(
                [
                    n,
                    label,
                    f"{timing.median * 1000:.1f}",
                    f"{timing.max * 1000:.1f}",
                    timing.query_text,
                ]
            )

    print()
    print(
        f"{len(keys)} questions; {args.runs} timed requests per case after two warm-ups; "
        f"milliseconds per request:"
    )
    _django.table(["respondents", "request", "median ms", "max ms", "queries"], rows)

    # --- concurrency ---------------------------------------------------------------------------
    per_thread = min(args.per_thread, len(keys))
    concurrent = services.start_assessment(
        project=project, version=version, started_by=users[0], title="Concurrent"
    )
    clients = []
    for user in users[: args.threads]:
        c = Client()
        c.force_login(user)
        clients.append(c)
    connection.close()  # the threads open their own connections; keep no transaction open here
    statuses: list[list[int]] = [[] for _ in clients]
    latencies: list[list[float]] = [[] for _ in clients]
    failures: list[str] = []
    barrier = threading.Barrier(len(clients))

    def respondent(t: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                key = keys[i]
                start = time.perf_counter()
                response = post(clients[t], concurrent, key, choices[(i + t) % len(choices)])
                latencies[t].append(time.perf_counter() - start)
                statuses[t].append(response.status_code)
        except Exception as error:  # an exception is an error too; report it, do not hang
            failures.append(f"thread {t}: {error!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=respondent, args=(t,)) for t in range(len(clients))]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = time.perf_counter() - start

    sent = sum(len(s) for s in statuses)
    errors = sum(1 for s in statuses for code in s if code != 200)
    landed = Answer.objects.filter(assessment=concurrent).count()
    expected = len(clients) * per_thread
    expected_levels = {
        (user.pk, keys[i]): Decimal(choices[(i + t) % len(choices)])
        for t, user in enumerate(users[: args.threads])
        for i in range(per_thread)
    }
    saved = {
        (respondent_id, key): value
        for respondent_id, key, value in Answer.objects.filter(assessment=concurrent).values_list(
            "respondent_id", "question__key", "level_value"
        )
    }
    wrong = sum(1 for k, value in expected_levels.items() if saved.get(k) != value)
    every = [x for lat in latencies for x in lat]
    print()
    print(
        f"Concurrency ({connection.vendor}): {len(clients)} threads × {per_thread} autosaves, "
        f"each thread its own user and Client"
    )
    _django.table(
        ["total s", "saves/s", "median ms", "max ms", "non-200", "exceptions", "answers", "wrong"],
        [
            [
                f"{total:.2f}",
                f"{sent / total:.0f}",
                f"{statistics.median(every) * 1000:.0f}" if every else "-",
                f"{max(every) * 1000:.0f}" if every else "-",
                errors,
                len(failures),
                f"{landed}/{expected}",
                wrong,
            ]
        ],
    )
    codes = sorted({code for s in statuses for code in s})
    print(f"status codes seen: {', '.join(map(str, codes))}")
    for failure in failures:
        print(failure)


if __name__ == "__main__":
    main()
