"""Charts as plain SVG/HTML, so no page loads a plotting library: the shared toolkit (svg), the radar, the score
grid, the progress lines, and showing them on a page (show)."""
