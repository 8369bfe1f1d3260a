"""Property-based tests: a valid bank file, randomly broken, imports as a draft or is refused whole.

The size of each run comes from the Hypothesis profile in tests/conftest.py ("ci" in the suite,
"fuzz" under `make fuzz`). Every example runs in its own transaction, rolled back at the end, so
the database is the same for the next one; a refusal must leave it unchanged by itself.
"""

import copy
import math
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st
from paydown.bankfile import yaml_reader

from banks import files
from banks.models import BankVersion, Question
from tests.banks.bank_data import database_state, small_bank
from tests.data_paths import all_paths

# --- the property --------------------------------------------------------------------------------


def numbers(data: dict) -> list[Decimal]:
    found = [Decimal(str(v)) for v in data["scale"]]
    for category in data["categories"]:
        found.append(Decimal(str(category["weight"])))
        for question in category["questions"]:
            found.append(Decimal(str(question["weight"])))
            found += [Decimal(str(level["value"])) for level in question["levels"]]
            found += [Decimal(str(step["to"])) for step in question["remediation"]]
    return found


def assert_imports_as_a_draft_or_is_refused(raw: bytes) -> None:
    before = database_state()
    with transaction.atomic():
        try:
            version = files.import_file(raw)
        except files.BankFileError as refusal:
            event("refused")
            assert refusal.errors
            assert all(isinstance(error, str) and ": " in error for error in refusal.errors)
            assert database_state() == before
            return
        event("imported")
        assert version.status == BankVersion.Status.DRAFT
        assert version.published_at is None
        stored = files.version_to_data(files.version_for_export(version.pk))
        assert numbers(stored) == numbers(files.parse(raw))  # nothing rounded on the way in
        assert files.parse(files.dump(stored)) == stored  # and the export reads back the same
        transaction.set_rollback(True)
    assert database_state() == before


# --- random values -------------------------------------------------------------------------------

TRICKY_TEXT = [
    "",
    " ",
    "0",
    "1e-7",
    "0.001",
    ".nan",
    "yes",
    "~",
    "null",
    "2001-02-30",
    "tiny\n",
    "data-a",
    "\x00",
    "\x07",
    "\u2028",
    "é" * 81,
    "x" * (yaml_reader.MAX_TEXT_CHARS + 1),
    "published",
    "draft",
]
TRICKY_NUMBERS = [
    0,
    -1,
    1e-7,
    0.001,
    0.125,
    0.1 + 0.2,
    1000,
    1000.01,
    2**31,
    2**70,
    float("nan"),
    float("inf"),
    -float("inf"),
]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(TRICKY_TEXT),
    st.sampled_from(TRICKY_NUMBERS),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=12), st.integers()), children, max_size=4),
    ),
    max_leaves=12,
)
FILE_KEYS = ["status", "slug", "version", "weight", "key", "scale", "levels", "value", "to", "x"]


def at(data, path: tuple):
    for part in path:
        data = data[part]
    return data


def alike(value) -> st.SearchStrategy:
    """Values of the same kind, so that many changed files are still valid and get imported."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int | float):
        places = st.decimals(min_value=0, max_value=1001, places=2).map(float)
        return st.one_of(
            st.integers(-1, 1001), places, st.floats(0, 1001), st.sampled_from(TRICKY_NUMBERS)
        )
    if isinstance(value, str):
        return st.one_of(st.text(max_size=30), st.sampled_from(TRICKY_TEXT))
    return values


def mutate(data, draw):
    """One random change: replace a value (with one alike or any), drop it, repeat it, add a key."""
    path = draw(st.sampled_from(list(all_paths(data))))
    change = draw(st.sampled_from(["replace alike", "replace", "drop", "repeat", "add key"]))
    if not path:
        return draw(values)
    parent, target = at(data, path[:-1]), at(data, path)
    if change == "add key" and isinstance(target, dict):
        target[draw(st.one_of(st.sampled_from(FILE_KEYS), st.text(max_size=8)))] = draw(values)
    elif change == "drop":
        del parent[path[-1]]
    elif change == "repeat" and isinstance(parent, list):
        parent.insert(path[-1], copy.deepcopy(target))
    elif change == "replace alike":
        parent[path[-1]] = draw(alike(target))
    else:
        parent[path[-1]] = draw(values)
    return data


@pytest.mark.fuzz
@given(st.data())
def test_a_file_with_random_values_imports_as_a_draft_or_is_refused(published, data):
    bank = small_bank(version=2)  # version 1 is published: an accepted file makes version 2
    for _ in range(data.draw(st.integers(1, 3))):
        bank = mutate(bank, data.draw)

    assert_imports_as_a_draft_or_is_refused(files.dump(bank).encode())


weights = st.one_of(
    st.floats(),
    st.integers(-10, 10**6),
    st.decimals(min_value=0, max_value=1001, places=2).map(float),
    st.decimals(min_value=0, max_value=2, places=3).map(float),
    st.sampled_from(TRICKY_NUMBERS),
)


@pytest.mark.fuzz
@given(weights)
def test_a_weight_is_stored_exactly_or_refused_with_its_path(published, weight):
    bank = small_bank(version=2)
    bank["categories"][0]["questions"][1]["weight"] = weight
    fits = (
        math.isfinite(weight)
        and 0 < weight <= 1000
        and Decimal(str(weight)).as_tuple().exponent >= -2
    )

    before = database_state()
    with transaction.atomic():
        try:
            version = files.import_file(files.dump(bank))
        except files.BankFileError as refusal:
            assert not fits
            assert refusal.errors[0].startswith("categories[0].questions[1].weight: ")
            assert database_state() == before
            return
        assert fits
        stored = Question.objects.get(version=version, key="data-b").weight
        assert stored == Decimal(str(weight))
        transaction.set_rollback(True)


# --- random text ---------------------------------------------------------------------------------

SNIPPETS = [
    "&a ",
    "*a",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "? ",
    "#",
    "\t",
    "\n",
    "\n  ",
    "'",
    '"',
    "!!",
    "!!python/object:os.system ",
    "!!float ",
    "!!int ",
    "!!binary ",
    "!!set ",
    "!!omap ",
    "<<: ",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    '"\\0"',
    '"\\ud800"',
    "\\",
    ".nan",
    ".inf",
    "1.0e-07",
    "9" * 40,
    "2001-02-30",
    "0x1F",
    "1:30",
    "\ufeff",
    "\x85",
]


def edit(text: str, draw) -> str:
    """One random edit of the file's text: YAML that is wrong in a small way, or not YAML."""
    lines = text.split("\n")
    where = draw(st.integers(0, len(text)))
    change = draw(
        st.sampled_from(["insert", "delete", "truncate", "repeat line", "nest", "alias", "move"])
    )
    if change == "insert":
        snippet = draw(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=12)))
        return text[:where] + snippet + text[where:]
    if change == "delete":
        return text[:where] + text[where + draw(st.integers(1, 40)) :]
    if change == "truncate":
        return text[:where]
    line = draw(st.integers(0, len(lines) - 1))
    if change == "repeat line":  # a duplicate key, or one more item
        lines.insert(line, lines[line])
    elif change == "nest" and ": " in lines[line]:
        depth = draw(st.sampled_from([1, 9, 10, 11, 999, 1001, 5000]))
        key, _, value = lines[line].partition(": ")
        lines[line] = f"{key}: {'[' * depth}{value}{']' * depth}"
    elif change == "alias" and ": " in lines[line]:
        other = draw(st.integers(0, len(lines) - 1))
        lines[line] = lines[line].replace(": ", ": &a ", 1)
        lines[other] = lines[other].partition(": ")[0] + ": *a"
    elif change == "move":  # indentation changes the structure
        lines[line] = draw(st.sampled_from(["", " ", "  ", "    "])) + lines[line].lstrip(" ")
    return "\n".join(lines)


@pytest.mark.fuzz
@given(st.data())
def test_a_file_with_random_edits_to_its_text_imports_as_a_draft_or_is_refused(published, data):
    text = files.dump(small_bank(version=2))
    for _ in range(data.draw(st.integers(1, 3))):
        text = edit(text, data.draw)

    assert_imports_as_a_draft_or_is_refused(text.encode())


@pytest.mark.fuzz
@given(st.data())
def test_a_file_with_random_bytes_imports_as_a_draft_or_is_refused(published, data):
    raw = files.dump(small_bank(version=2)).encode()
    where = data.draw(st.integers(0, len(raw)))
    junk = data.draw(st.binary(min_size=1, max_size=16))
    kept = data.draw(st.sampled_from(["insert", "overwrite", "truncate"]))
    if kept == "insert":
        raw = raw[:where] + junk + raw[where:]
    elif kept == "overwrite":
        raw = raw[:where] + junk + raw[where + len(junk) :]
    else:
        raw = raw[:where]

    assert_imports_as_a_draft_or_is_refused(raw)
