"""Time figure_to_svg per chart kind: median milliseconds and SVG size. Run: python bench/svg_charts.py"""

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

# charts.py and svg_charts.py import nothing from Django: no settings needed, only the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessment import charts
from assessment.reports import svg_charts  # noqa: E402

CATEGORIES = ["Data", "Code", "Feedback loops", "Configuration", "Operations", "Skills and culture"]
LEVELS = ["Initial", "Managed", "Defined", "Measured", "Optimising"]


def score(rng: random.Random, na: float = 0.1) -> Decimal | None:
    return None if rng.random() < na else Decimal(rng.randint(0, 1000)) / 10


def figures() -> dict[str, tuple[dict, dict]]:
    """Chart kind → (figure, figure_to_svg keyword arguments), sized as the reports size them."""
    rng = random.Random(20260131)
    dates = [f"2025-{month:02d}-28" for month in range(1, 13)]
    teams = ["search", "fraud", "churn", "pricing"]
    projects = [f"Project {i:02d} · {rng.choice(teams)}" for i in range(50)]

    def heatmap(rows: int) -> tuple[dict, dict]:
        scores = [[score(rng) for _ in CATEGORIES] for _ in range(rows)]
        return charts.heatmap(projects[:rows], CATEGORIES, scores), {
            "width": 7.0,
            "height": max(2.5, 0.6 + 0.22 * rows),
        }

    return {
        "radar": (
            charts.radar(CATEGORIES, [score(rng) for _ in CATEGORIES], [Decimal(80)] * 6),
            {"width": 5.5, "height": 4.2},
        ),
        "delta_bars": (
            charts.delta_bars(
                CATEGORIES, [score(rng) for _ in CATEGORIES], [score(rng) for _ in CATEGORIES]
            ),
            {"width": 6.5, "height": 3.6},
        ),
        "trend (7 series × 12)": (
            charts.trend(
                dates, {name: [score(rng) for _ in dates] for name in ["Overall", *CATEGORIES]}
            ),
            {},
        ),
        "heatmap 12 × 6": heatmap(12),
        "heatmap 50 × 6": heatmap(50),
        "level_distribution": (
            charts.level_distribution(
                CATEGORIES, [[rng.randint(0, 8) for _ in LEVELS] for _ in CATEGORIES], LEVELS
            ),
            {"width": 6.5, "height": 3.4},
        ),
        "radar_compare (5)": (
            charts.radar_compare(
                CATEGORIES, {p: [score(rng) for _ in CATEGORIES] for p in projects[:5]}
            ),
            {},
        ),
        "trends (10 × 12)": (
            charts.trends({p: [(d, score(rng)) for d in dates] for p in projects[:10]}),
            {},
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per chart (default 7)")
    args = parser.parse_args()

    cases = figures()
    svg_charts.figure_to_svg(cases["radar"][0])  # the first call loads fonts and caches
    print(f"{'chart':<24}{'median ms':>10}{'min ms':>8}{'SVG KB':>8}")
    for name, (figure, size) in cases.items():
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            svg = svg_charts.figure_to_svg(figure, **size)
            times.append((time.perf_counter() - start) * 1000)
        kb = len(svg.encode()) / 1024
        print(f"{name:<24}{statistics.median(times):>10.1f}{min(times):>8.1f}{kb:>8.1f}")


if __name__ == "__main__":
    main()
