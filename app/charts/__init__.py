"""Charts. For a few commits this re-exports app.charts.progress, until its pieces have their own modules."""

from app.charts.progress import (  # noqa: F401
    DYNAMIC_COLORS,
    MEANING_STYLE,
    progress_lines_svg,
    progress_summary,
    progress_table,
    show_progress_lines,
    show_radar,
)
