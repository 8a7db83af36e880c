"""Generate dbt's data dictionary (every model, column, test and the lineage graph) as one static HTML file.

`make docs` writes dbt_project/target/static_index.html: open it in a browser, no server needed. dbt reads the
catalog from a copy of the served warehouse, so the running app keeps its file to itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from warehouse.build import DATA_RAW, DBT_PROJECT, WAREHOUSE


def generate(warehouse: Path = WAREHOUSE, target: Path = DBT_PROJECT / "target") -> Path:
    if not warehouse.exists():
        raise SystemExit(f"Geen warehouse op {warehouse}: bouw het eerst met `make build`.")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "catalog.duckdb"
        shutil.copyfile(warehouse, copy)
        env = {
            **os.environ,
            "TM_BUILD_PATH": str(copy),
            "TM_DATA_RAW": str(DATA_RAW.resolve()),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
        dbt = Path(sys.executable).with_name("dbt")
        subprocess.run(
            [
                str(dbt) if dbt.exists() else "dbt",
                "docs",
                "generate",
                "--static",
                "--project-dir",
                str(DBT_PROJECT),
                "--profiles-dir",
                str(DBT_PROJECT),
                "--target-path",
                str(target),
                "--log-path",
                str(DBT_PROJECT / "logs"),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
    return target / "static_index.html"


if __name__ == "__main__":
    page = generate()
    print(f"Datawoordenboek: {page}  (open dit bestand in een browser)")
