"""Pure: how the respondents' roles answer, category by category (issue #17), so a team sees
where a data scientist's view and a platform engineer's part. A role is shown only with at least
two respondents, and a cell only with two of them answering in its category: no one's answers
can be read off the comparison."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

MIN_RESPONDENTS = 2
NOTABLE_GAP = Decimal(1)  # levels between two roles worth a sentence
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class Cell:
    level: Decimal  # the mean of the role's answers in the category, to one place
    respondents: int


@dataclass(frozen=True)
class Gap:
    category: str
    higher: str  # role labels
    lower: str
    levels: Decimal


@dataclass
class Comparison:
    roles: list[tuple[str, str]] = field(default_factory=list)  # (key, label) of roles shown
    rows: list[tuple[str, list[Cell | None]]] = field(default_factory=list)  # per category
    gaps: list[Gap] = field(default_factory=list)  # widest first
    not_shown: int = 0  # respondents without a role, or whose role has fewer than two

    @property
    def shown(self) -> bool:
        return len(self.roles) >= 2


def compare(
    *,
    respondents_per_role: dict[str, int],
    cells: Iterable[tuple[str, str, Decimal | float, int]],
    categories: list[tuple[str, str]],
    labels: dict[str, str],
    unstated: int = 0,
) -> Comparison:
    """`cells`: (category key, role, mean level, respondents who answered in it) per pair;
    `categories`: (key, name) in the bank's order; `labels`: role → its name."""
    shown = [role for role in labels if respondents_per_role.get(role, 0) >= MIN_RESPONDENTS]
    by_pair = {
        (category, role): Cell(Decimal(str(level)).quantize(ONE_PLACE), respondents)
        for category, role, level, respondents in cells
        if role in shown and respondents >= MIN_RESPONDENTS
    }
    rows = [(name, [by_pair.get((key, role)) for role in shown]) for key, name in categories]
    gaps = []
    for name, row in rows:
        present = [(cell.level, role) for cell, role in zip(row, shown, strict=True) if cell]
        if len(present) < 2:
            continue
        (low, low_role), (high, high_role) = min(present), max(present)
        if high - low >= NOTABLE_GAP:
            gaps.append(Gap(name, labels[high_role], labels[low_role], high - low))
    hidden = unstated + sum(n for role, n in respondents_per_role.items() if role not in shown)
    return Comparison(
        roles=[(role, labels[role]) for role in shown],
        rows=rows,
        gaps=sorted(gaps, key=lambda gap: -gap.levels),
        not_shown=hidden,
    )
