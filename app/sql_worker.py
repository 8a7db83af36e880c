"""Entry point of the SQL page's worker process: `python -m app.sql_worker`, one request on stdin (app.data starts
it). The work is in app.sqlbox.worker; this module only prepares the process before anything heavy is imported."""

import os

if __name__ == "__main__":
    # pyarrow's default allocator (mimalloc) reserves a 1 GiB arena for a result of some 15 MB, which the worker's
    # 2 GB address-space limit (RLIMIT_AS) cannot hold next to DuckDB: the system allocator reserves what it uses.
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    from app.sqlbox.worker import main

    main()
