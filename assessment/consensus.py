"""Pure: the team's answer to a question from its respondents' answers, and questionnaire progress.

The consensus level is the median of the respondents' levels; with an even number of them, the lower
of the two middle levels, so a split team never reports more maturity than half of it sees. A
question is "not applicable" when more than half of its respondents say so. Respondents whose levels
lie two or more steps apart on the scale are flagged *discuss*. A level the team settled on in a
discussion overrides all of this.

An answer carried over from the previous assessment counts only once someone confirms it: until then
its question is *to confirm*, neither answered nor unanswered.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Response:
    """One respondent's answer: a level value, "not applicable", or neither (not answered yet)."""

    respondent: str
    value: Decimal | None = None
    not_applicable: bool = False
    carried: bool = False  # carried over from the previous assessment, nobody confirmed it yet

    @property
    def is_answered(self) -> bool:
        return self.value is not None or self.not_applicable


@dataclass(frozen=True)
class Settled:
    value: Decimal | None
    not_applicable: bool = False


@dataclass(frozen=True)
class Consensus:
    value: Decimal | None
    not_applicable: bool = False
    discuss: bool = False
    settled: bool = False
    respondents: int = 0
    to_confirm: bool = False  # answered, but on a carried-over answer nobody confirmed

    @property
    def is_answered(self) -> bool:
        return self.value is not None or self.not_applicable


UNANSWERED = Consensus(value=None)


@dataclass(frozen=True)
class Counted:
    """Respondents who gave the same answer, counted: how the team's answers are read, so that
    judging a question costs the same for a team of 5 or of 100."""

    value: Decimal | None
    not_applicable: bool = False
    carried: bool = False
    respondents: int = 1

    @property
    def is_answered(self) -> bool:
        return self.value is not None or self.not_applicable


def counted(responses: Iterable[Response]) -> list[Counted]:
    counts: dict[tuple[Decimal | None, bool, bool], int] = {}
    for r in responses:
        key = (r.value, r.not_applicable, r.carried)
        counts[key] = counts.get(key, 0) + 1
    return [Counted(value, na, carried, n) for (value, na, carried), n in counts.items()]


def consensus_of(
    responses: Iterable[Response], scale: Sequence[Decimal], settled: Settled | None = None
) -> Consensus:
    return consensus_of_counts(counted(responses), scale, settled)


def consensus_of_counts(
    counts: Iterable[Counted], scale: Sequence[Decimal], settled: Settled | None = None
) -> Consensus:
    answered = [c for c in counts if c.is_answered and c.respondents > 0]
    respondents = sum(c.respondents for c in answered)
    levels = sorted((c.value, c.respondents) for c in answered if not c.not_applicable)
    at_a_level = sum(n for _value, n in levels)
    positions = [scale.index(value) for value, _n in levels if value in scale]
    spread = (max(positions) - min(positions)) if positions else 0
    if settled is not None:  # the team decided together: nothing left to confirm
        return Consensus(settled.value, settled.not_applicable, False, True, respondents)
    if not answered:
        return UNANSWERED
    to_confirm = any(c.carried for c in answered)
    if 2 * (respondents - at_a_level) > respondents:
        return Consensus(None, True, spread >= 2, False, respondents, to_confirm)
    return Consensus(
        _lower_median(levels, at_a_level), False, spread >= 2, False, respondents, to_confirm
    )


def _lower_median(levels: list[tuple[Decimal, int]], total: int) -> Decimal:
    """The level at position (total - 1) // 2 of the sorted levels, each repeated n times."""
    position = (total - 1) // 2
    for value, n in levels:
        if position < n:
            return value
        position -= n
    raise ValueError("no levels")


@dataclass(frozen=True)
class Progress:
    total: int
    answered: int  # at a level and confirmed
    not_applicable: int  # confirmed
    discuss: int
    to_confirm: int = 0

    @property
    def in_scope(self) -> int:
        return self.total - self.not_applicable

    @property
    def unanswered(self) -> int:
        return self.in_scope - self.answered - self.to_confirm

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.in_scope) if self.in_scope else 100

    @property
    def is_complete(self) -> bool:
        return self.unanswered == 0 and self.to_confirm == 0


def progress_of(consensuses: Iterable[Consensus]) -> Progress:
    items = list(consensuses)
    final = [c for c in items if not c.to_confirm]
    return Progress(
        total=len(items),
        answered=sum(1 for c in final if c.value is not None),
        not_applicable=sum(1 for c in final if c.not_applicable),
        discuss=sum(1 for c in items if c.discuss),
        to_confirm=len(items) - len(final),
    )


@dataclass(frozen=True)
class Count:
    """How many respondents gave one answer: a level value, or "not applicable"."""

    value: Decimal | None
    not_applicable: bool
    respondents: int


def tally(responses: Iterable[Response]) -> list[Count]:
    return tally_of_counts(counted(responses))


def tally_of_counts(counts: Iterable[Counted]) -> list[Count]:
    """The team's answers as counts per level (ascending), then N/A: its size is bounded by the
    scale, whatever the number of respondents."""
    merged: dict[tuple[bool, Decimal | None], int] = {}
    for c in counts:
        if c.is_answered and c.respondents > 0:
            key = (c.not_applicable, None if c.not_applicable else c.value)
            merged[key] = merged.get(key, 0) + c.respondents
    return [Count(value, na, n) for (na, value), n in sorted(merged.items(), key=_tally_order)]


def _tally_order(item: tuple[tuple[bool, Decimal | None], int]) -> tuple[bool, Decimal]:
    (not_applicable, value), _n = item
    return (not_applicable, value if value is not None else Decimal(0))
