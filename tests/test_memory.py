"""The garbage collector's long-lived objects (app/memory.py): frozen once per set of imported modules, so the full
collection Streamlit makes after every run (each typed key's search too) stays short."""

from __future__ import annotations

import gc
import sys
import time
import types

from app import memory


def test_frozen_after_new_imports_only_and_the_collection_after_a_run_is_short():
    memory.freeze_long_lived()
    assert gc.get_freeze_count() > 10_000  # pytest, streamlit, polars … set aside
    assert memory.freeze_long_lived() is False  # nothing imported since: no second collection
    started = time.thread_time()  # CPU, not wall time: the machine is shared
    gc.collect(2)
    assert time.thread_time() - started < 0.05  # what Streamlit does after every run: 55–130 ms unfrozen
    sys.modules["tm_test_new_module"] = types.ModuleType("tm_test_new_module")
    try:
        before = gc.get_freeze_count()
        leftover = [[i] for i in range(1000)]  # alive now: frozen with the rest
        assert memory.freeze_long_lived() is True
        assert gc.get_freeze_count() >= before + len(leftover)
    finally:
        del sys.modules["tm_test_new_module"]
