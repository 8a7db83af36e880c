"""Page parts. For one commit this re-exports app.ui.layout, until its pieces have their own modules."""

from app.ui.blocks import (  # noqa: F401
    badges,
    evidence_bullet,
    evidence_html,
    heading_html,
    quote,
    show_html,
    text_block,
)
from app.ui.filtering import (  # noqa: F401
    ALL_SECTORS,
    ALL_THEMES,
    PRESENTATION,
    Filters,
    current_filters,
    scores_in_scope,
    sidebar_filters,
    url_value,
    write_url,
)
from app.ui.layout import (  # noqa: F401
    BASE_CSS,
    PAGE_TITLES,
    PAGES,
    PRESENTATION_CSS,
    apply_style,
    current_page,
    enabled_pages,
    nav_links,
    page_params,
    presentation_toggle,
)
