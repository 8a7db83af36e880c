"""Page parts: the shared filters (filtering), the pages and their styling (layout), blocks of report text (blocks)."""
