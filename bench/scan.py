"""`make bench` (after bench/run.py): how long `paydown scan` takes on this repository (target
under 2 s) and on a generated 10,000-file ML repository (target under 10 s), with the newest
shipped default bank's signals. Times are the median of the repetitions; no test reads them.

    .venv/bin/python bench/scan.py            # 5 repetitions
    .venv/bin/python bench/scan.py --quick    # CI: 3 repetitions
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from paydown import bankfile, scan

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"this repository": 2.0, "10,000-file repository": 10.0}


def generated_repository(root: Path, files: int = 10_000) -> Path:
    """Packages of Python modules (some importing ML libraries), configs, notebooks and data
    files, shaped like a large monorepo; the rules find something in each kind."""
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/workflows/ci.yml").write_text(
        "on: [push, pull_request]\njobs:\n  test:\n    steps:\n      - run: pytest\n"
    )
    (root / "dvc.yaml").write_text("stages:\n  train:\n    cmd: python train.py\n")
    kinds = [
        (
            "py",
            "import mlflow\nimport pandas as pd\n\n\ndef f(x):\n    return pd.DataFrame(x)\n" * 5,
        ),
        ("py", "def helper(a, b):\n    return a + b\n" * 20),
        ("yaml", "name: job\nspec:\n  replicas: 2\n  template:\n    image: app:1\n"),
        ("md", "# Notes\n\nSome text about the service.\n" * 10),
        ("csv", "a,b,c\n" + "1,2,3\n" * 50),
        ("ipynb", json.dumps({"cells": [{"cell_type": "code", "source": ["import torch\n"]}]})),
    ]
    for i in range(files - 2):
        ext, body = kinds[i % len(kinds)]
        folder = root / f"pkg{i // 200}" / f"mod{(i // 20) % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"file{i}.{ext}").write_text(body)
    return root


def timed(root: Path, bank: dict, reps: int) -> list[float]:
    times = []
    for _ in range(reps):
        began = time.perf_counter()
        result = scan.scan(root, bank)
        times.append(time.perf_counter() - began)
    print(f"  {result.files_scanned:,} files, {len(result.suggested)} suggestions", flush=True)
    return times


def main() -> int:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--quick", action="store_true", help="CI: 3 repetitions")
    args = options.parse_args()
    reps = 3 if args.quick else 5
    bank = bankfile.shipped("ml-technical-debt")
    medians = {}
    print("paydown scan:", flush=True)
    medians["this repository"] = statistics.median(timed(ROOT, bank, reps))
    with tempfile.TemporaryDirectory() as folder:
        repository = generated_repository(Path(folder))
        medians["10,000-file repository"] = statistics.median(timed(repository, bank, reps))
    failed = False
    for name, seconds in medians.items():
        verdict = "PASS" if seconds < TARGETS[name] else "FAIL"
        failed |= verdict == "FAIL"
        print(f"  scan of {name}: {seconds:.2f} s (target < {TARGETS[name]:g} s) {verdict}")
    return 1 if failed and "--strict" in sys.argv else 0


if __name__ == "__main__":
    sys.exit(main())
