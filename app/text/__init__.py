"""Plain text helpers: escaping, Dutch number formats and how a typed search is read. No Streamlit, no DuckDB."""
