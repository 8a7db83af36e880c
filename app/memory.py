"""The process's garbage collector: what lives as long as the server is set aside, so Streamlit's full collection
after every run (also after each keystroke's search) looks at that run's objects only.

Streamlit calls `gc.collect(2)` when a run ends; it walks every tracked object in the process, ~110,000 after the
imports (streamlit, polars, duckdb, plotly, the app): 55–130 ms on this machine, while the run's last messages
wait for it. `gc.freeze()` moves the objects alive at that moment to a generation the collector never visits.
Frozen after a collection, so only live objects are frozen; again whenever new modules were imported since (a page
or the search engine seen for the first time). What the current session held at such a moment stays (a few MB at
most, a handful of times per process)."""

from __future__ import annotations

import gc
import sys

_frozen_at_modules = [0]


def freeze_long_lived() -> bool:
    """After a run: freeze what is alive if modules were imported since the last freeze; True if it froze."""
    if len(sys.modules) == _frozen_at_modules[0]:
        return False
    gc.collect()
    gc.freeze()
    _frozen_at_modules[0] = len(sys.modules)
    return True
