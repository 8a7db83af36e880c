"""At 100× the nulmeting's evidence the Thema and Voorbeelden pages stay bounded: paged lists, a screenful of elements,
and reruns that do not grow with the data. The scaled warehouse is built once for the module (tests/scale_data.py)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.helpers import open_app_page
from tests.scale_data import scaled_data_raw
from warehouse.build import build

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
FACTOR = 100
MAX_MARKDOWN = 150  # elements of text a rerun may send: a screenful or two, whatever the size of the data


@pytest.fixture(scope="module")
def scaled_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"scale{FACTOR}")
    path = root / "transitiemonitor.duckdb"
    result = build(scaled_data_raw(root, FACTOR), path)
    assert result.ok, "\n".join(result.messages)
    return path


@pytest.fixture(autouse=True)
def _use_scaled_warehouse(scaled_warehouse, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(scaled_warehouse))


def open_page(page: str, **params: str) -> AppTest:
    return open_app_page(page, **params)


def shown_text(at: AppTest) -> str:
    html_blocks = [h.proto.body for h in at.get("html") if "<style" not in h.proto.body]
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + html_blocks)


def test_thema_at_scale_is_paged_and_bounded():
    at = open_page("thema", thema="flexibele_leerroutes", dynamiek="institutionalisering")
    assert len(at.markdown) < MAX_MARKDOWN, len(at.markdown)
    text = shown_text(at)
    assert "Bevinding 1–8 van " in text  # the session findings, paged
    assert "Sessie Eigen regie" in text
    started = time.perf_counter()
    at.segmented_control(key="dynamiek").set_value("lock_in").run()
    assert time.perf_counter() - started < 5  # generous for a loaded test machine; ~0.1 s on a quiet one
    assert len(at.markdown) < MAX_MARKDOWN
    assert "Voorbeeld 1–15 van " in shown_text(at)
    next(b for b in at.button if b.key == "pagina_voorbeelden-volgende").click().run()
    assert "Voorbeeld 16–30 van " in shown_text(at)
    assert at.query_params.get("pagina_voorbeelden") in ("2", ["2"])


def test_voorbeelden_at_scale_counts_with_thousands_separator_and_shows_one_page():
    at = open_page("voorbeelden")
    assert len(at.markdown) < MAX_MARKDOWN
    heading = next(m.value for m in at.markdown if m.value.startswith("### "))
    assert "." in heading.split()[1]  # e.g. '### 7.080 resultaten'
    assert f"1–25 van {heading.split()[1]}" in shown_text(at)
    assert shown_text(at).count('<article class="tm-kaart">') == 25  # one page of cards, not all of them
    assert not at.get("download_button")  # too many rows to download: the page says to narrow down
    at.text_input(key="zoek").input("micro-credential").run()
    assert "<mark>" in shown_text(at)
    assert len(at.markdown) < MAX_MARKDOWN
