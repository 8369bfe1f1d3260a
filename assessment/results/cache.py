"""A submitted result's stored rows (categories, questions, answer snapshots) kept in the cache by
the result's integrity hash, so a second read of the result skips their queries.

Safe because those rows are written once, in the submit's transaction, and never changed: the hash
is the SHA-256 of the export made from exactly these rows, so one hash names one set of rows for
good. The rows are kept as stored, in the bank's English, and each read translates its own copy
(`queries.localized`), so the language is not part of the key. Everything that may change after
submit stays out: the result row itself with its bank version and bank (a bank may be renamed),
targets, tracked actions, accepted risks, the previous result, and evidence judged stale "as of
now" (judged per read, from the cached snapshots or one query).
"""

import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Model, prefetch_related_objects

from assessment.models import AnswerSnapshot, AssessmentResult, CategoryResult, QuestionResult

ROWS = {"categories": CategoryResult, "questions": QuestionResult, "answers": AnswerSnapshot}
# Results are read long after submit, but rarely: a week unread and they leave the cache.
TIMEOUT = 7 * 24 * 3600


def _shape() -> str:
    """The stored columns of each kind of row: a migration that adds one changes every key, so
    rows cached before it are never read with a field missing."""
    columns = ";".join(
        f"{name}:{','.join(f.attname for f in model._meta.concrete_fields)}"
        for name, model in ROWS.items()
    )
    return hashlib.sha256(columns.encode()).hexdigest()[:12]


SHAPE = _shape()


def key(sha256: str, relation: str) -> str:
    return f"result-rows:{SHAPE}:{sha256}:{relation}"


def prefetch_rows(result: AssessmentResult, relations: Iterable[str]) -> None:
    """Load the result's `relations` onto it as `prefetch_related` does (`result.questions.all()`
    reads no more): from the cache when its hash has them, else one query each, then kept. A
    result being submitted (no hash yet) is read from the database only."""
    relations = list(relations)
    if not result.integrity_sha256:
        prefetch_related_objects([result], *relations)
        return
    keys = {relation: key(result.integrity_sha256, relation) for relation in relations}
    # None rather than {} from django-redis while Redis is down: all misses.
    found = cache.get_many(list(keys.values())) or {}
    missing = [relation for relation in relations if keys[relation] not in found]
    prefetch_related_objects([result], *missing)
    for relation in relations:
        if relation not in missing:
            _attach(result, relation, found[keys[relation]])
    if missing:
        cache.set_many(
            {keys[relation]: _values(getattr(result, relation).all()) for relation in missing},
            TIMEOUT,
        )


def _values(rows: Iterable[Model]) -> list[tuple]:
    """Plain column values, not pickled model instances: smaller, and readable by any version of
    the code whose columns are the same (SHAPE)."""
    return [tuple(getattr(row, f.attname) for f in row._meta.concrete_fields) for row in rows]


def _attach(result: AssessmentResult, relation: str, values: list[tuple]) -> None:
    model = ROWS[relation]
    names = [f.attname for f in model._meta.concrete_fields]
    rows = [model.from_db(result._state.db, names, row) for row in values]
    for row in rows:
        row.result = result  # as prefetch_related links each row to its result
    # What prefetch_related itself stores: the relation's queryset with its rows already read, so
    # `.all()` and iteration need no query. (Django offers no public way to hand it rows.)
    queryset = getattr(result, relation).all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    result.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset
