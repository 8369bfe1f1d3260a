"""Pure: the team's answer to a question from its respondents' answers, and questionnaire progress.

The consensus level is the median of the respondents' levels; with an even number of them, the lower
of the two middle levels, so a split team never reports more maturity than half of it sees. A
question is "not applicable" when more than half of its respondents say so. Respondents whose levels
lie two or more steps apart on the scale are flagged *discuss*. A level the team settled on in a
discussion overrides all of this.

A respondent may say *don't know*: that is kept out of the median and out of the N/A majority, and
counted on the team's answer so it is reported. A question whose respondents all say they don't
know has no team answer: it is unanswered, like a question nobody answered.

An answer carried over from the previous assessment counts only once someone confirms it: until then
its question is *to confirm*, neither answered nor unanswered.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Response:
    """One respondent's answer: a level value, "not applicable", "don't know", or none of them (not
    answered yet)."""

    respondent: str
    value: Decimal | None = None
    not_applicable: bool = False
    carried: bool = False  # carried over from the previous assessment, nobody confirmed it yet
    dont_know: bool = False

    @property
    def is_answered(self) -> bool:
        return self.value is not None or self.not_applicable

    @property
    def responded(self) -> bool:
        """Said something: a don't know is a response, though not an answer."""
        return self.is_answered or self.dont_know


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
    dont_know: int = 0  # respondents who said they don't know: reported, never counted

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
    dont_know: bool = False

    @property
    def is_answered(self) -> bool:
        return self.value is not None or self.not_applicable


def counted(responses: Iterable[Response]) -> list[Counted]:
    counts: dict[tuple[Decimal | None, bool, bool, bool], int] = {}
    for r in responses:
        key = (r.value, r.not_applicable, r.carried, r.dont_know)
        counts[key] = counts.get(key, 0) + 1
    return [
        Counted(value, na, carried, n, dont_know)
        for (value, na, carried, dont_know), n in counts.items()
    ]


def consensus_of(
    responses: Iterable[Response], scale: Sequence[Decimal], settled: Settled | None = None
) -> Consensus:
    return consensus_of_counts(counted(responses), scale, settled)


def consensus_of_counts(
    counts: Iterable[Counted], scale: Sequence[Decimal], settled: Settled | None = None
) -> Consensus:
    counts = [c for c in counts if c.respondents > 0]
    answered = [c for c in counts if c.is_answered]
    # Out of the median and of the N/A majority alike: not knowing is no vote for either.
    dont_know = sum(c.respondents for c in counts if c.dont_know)
    respondents = sum(c.respondents for c in answered)
    levels = sorted((c.value, c.respondents) for c in answered if not c.not_applicable)
    at_a_level = sum(n for _value, n in levels)
    positions = [scale.index(value) for value, _n in levels if value in scale]
    spread = (max(positions) - min(positions)) if positions else 0
    if settled is not None:  # the team decided together: nothing left to confirm
        return Consensus(
            settled.value, settled.not_applicable, False, True, respondents, dont_know=dont_know
        )
    if not answered:
        return Consensus(None, dont_know=dont_know)  # UNANSWERED when nobody said don't know
    to_confirm = any(c.carried for c in answered)
    if 2 * (respondents - at_a_level) > respondents:
        return Consensus(None, True, spread >= 2, False, respondents, to_confirm, dont_know)
    median = _lower_median(levels, at_a_level)
    return Consensus(median, False, spread >= 2, False, respondents, to_confirm, dont_know)


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
    """How many respondents gave one answer: a level value, "not applicable" or "don't know"."""

    value: Decimal | None
    not_applicable: bool
    respondents: int
    dont_know: bool = False


def tally(responses: Iterable[Response]) -> list[Count]:
    return tally_of_counts(counted(responses))


def tally_of_counts(counts: Iterable[Counted]) -> list[Count]:
    """The team's answers as counts per level (ascending), then N/A, then don't know: its size is
    bounded by the scale, whatever the number of respondents."""
    merged: dict[tuple[int, Decimal | None], int] = {}
    for c in counts:
        if c.respondents <= 0 or not (c.is_answered or c.dont_know):
            continue
        kind = _NOT_APPLICABLE if c.not_applicable else _LEVEL if c.is_answered else _DONT_KNOW
        key = (kind, c.value if kind == _LEVEL else None)
        merged[key] = merged.get(key, 0) + c.respondents
    return [
        Count(value, kind == _NOT_APPLICABLE, n, dont_know=kind == _DONT_KNOW)
        for (kind, value), n in sorted(merged.items(), key=_tally_order)
    ]


_LEVEL, _NOT_APPLICABLE, _DONT_KNOW = 0, 1, 2  # the tally's order


def _tally_order(item: tuple[tuple[int, Decimal | None], int]) -> tuple[int, Decimal]:
    (kind, value), _n = item
    return (kind, value if value is not None else Decimal(0))
