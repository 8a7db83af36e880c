"""Files to take away: tables (CSV, Excel), charts (PNG, SVG) and the meeting hand-out (PowerPoint)."""
