"""HTML written by administrators and shown to citizens (an offer's instructions): reduced to
a few harmless tags before it is stored and again before it is shown, so no script or
tracking markup ever reaches a citizen's browser."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h2", "h3"}


def sanitize_instructions(html: str) -> str:
    """Paragraphs, lists, emphasis, two heading levels and https links; everything else goes."""
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, url_schemes={"https"})
