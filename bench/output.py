"""The figures table and summary that bench/run.py prints."""

import statistics

from bench._django import table
from bench.figures import Figure

KB = 1024


def show(value: float, unit: str) -> str:
    if value != value:  # NaN: no sample
        return "–"
    if unit == "B":
        return f"{value / KB:,.1f} KB"
    if unit == "MB":
        return f"{value / KB / KB:,.2f} MB"
    return f"{value * 1000:,.1f} ms" if value < 1 else f"{value:,.2f} s"


def report(figures: list[Figure], header: list[str], seconds: float) -> None:
    rows = []
    for f in figures:
        ratios = f.ratios
        ratio = (
            f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})"
            if ratios
            else "–"
        )
        target = (
            f"both ≤ {show(f.absolute_limit, f.unit)}"
            if f.absolute_limit is not None
            else f"≤ {f.limit:g}"
        )
        if f.conditions:
            target += ", " + ", ".join(f.conditions)
        verdict = {True: "PASS", False: "FAIL", None: "ERROR"}[f.passed]
        rows.append(
            [
                f.name,
                f"{f.a_label} {show(statistics.median(f.a), f.unit)}" if f.a else f.a_label,
                f"{f.b_label} {show(statistics.median(f.b), f.unit)}" if f.b else f.b_label,
                ratio,
                target,
                verdict,
            ]
        )
    print()
    print("\n".join(header))
    print()
    table(["figure", "A (median)", "B (median)", "B ÷ A median (min–max)", "target", ""], rows)
    print()
    for f in figures:
        for note in ([f"ERROR {f.error}"] if f.error else []) + f.notes:
            print(f"  {f.name}: {note}")
        for condition, held in f.conditions.items():
            if not held:
                print(f"  {f.name}: condition not met in some repetition: {condition}")
    verdicts = [f.passed for f in figures]
    print()
    print(
        f"summary: {verdicts.count(True)} PASS, {verdicts.count(False)} FAIL, "
        f"{verdicts.count(None)} ERROR of {len(figures)} targets; {seconds / 60:.1f} min"
    )
    for f in figures:
        verdict = {True: "PASS", False: "FAIL", None: "ERROR"}[f.passed]
        print(f"  {verdict:5}  {f.name}")
