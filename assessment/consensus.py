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


def consensus_of(
    responses: Iterable[Response], scale: Sequence[Decimal], settled: Settled | None = None
) -> Consensus:
    answered = [r for r in responses if r.is_answered]
    levels = sorted(r.value for r in answered if not r.not_applicable)
    positions = [scale.index(v) for v in levels if v in scale]
    spread = (max(positions) - min(positions)) if positions else 0
    if settled is not None:  # the team decided together: nothing left to confirm
        return Consensus(settled.value, settled.not_applicable, False, True, len(answered))
    if not answered:
        return UNANSWERED
    to_confirm = any(r.carried for r in answered)
    if 2 * (len(answered) - len(levels)) > len(answered):
        return Consensus(None, True, spread >= 2, False, len(answered), to_confirm)
    median = levels[(len(levels) - 1) // 2]
    return Consensus(median, False, spread >= 2, False, len(answered), to_confirm)


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
    """The team's answers as counts per level (ascending), then N/A: its size is bounded by the
    scale, whatever the number of respondents."""
    counts: dict[tuple[bool, Decimal | None], int] = {}
    for r in responses:
        if r.is_answered:
            key = (r.not_applicable, None if r.not_applicable else r.value)
            counts[key] = counts.get(key, 0) + 1
    return [Count(value, na, n) for (na, value), n in sorted(counts.items(), key=_tally_order)]


def _tally_order(item: tuple[tuple[bool, Decimal | None], int]) -> tuple[bool, Decimal]:
    (not_applicable, value), _n = item
    return (not_applicable, value if value is not None else Decimal(0))
