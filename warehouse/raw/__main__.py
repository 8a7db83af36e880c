"""`python -m warehouse.raw [data_raw]`: check the raw files without building; exit 1 if any is refused."""

from __future__ import annotations

import sys
from pathlib import Path

from warehouse.raw.validation import validate


def main(argv: list[str]) -> int:
    data_raw = Path(argv[1] if len(argv) > 1 else "data_raw").resolve()
    result = validate(data_raw)
    for problem in result.problems:
        print(problem)
    errors = len(result.errors)
    print(f"{errors} probleem/problemen gevonden in {data_raw}" if errors else "data_raw is in orde")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
