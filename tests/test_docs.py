"""`make docs`: the data dictionary is generated as one static page with every mart and its descriptions."""

from warehouse.docs import generate


def test_data_dictionary_is_generated(warehouse_path, tmp_path):
    page = generate(warehouse_path, tmp_path / "target")
    html = page.read_text(encoding="utf-8")
    for mart in ("fct_score", "fct_evidence", "dim_rubric_level", "bridge_evidence_sector"):
        assert f"model.transitiemonitor.{mart}" in html
    assert "The final score, 1 (little dynamic) to 5" in html
