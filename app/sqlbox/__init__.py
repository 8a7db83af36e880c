"""What the SQL page's worker process uses: the statement checker, its rules, path scrubbing and result conversion.

The worker's entry point is app/sql_worker.py (`python -m app.sql_worker`); app.data starts it. Only the worker
imports this package: it imports duckdb, and user SQL never runs in the server process.
"""
