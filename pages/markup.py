"""Markdown as the coordinator writes it, rendered to HTML that cannot carry scripts."""

import re

import markdown
import nh3
from django.utils.safestring import mark_safe

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# The page title is the only h1; a "# " heading in the text becomes a second-level one.
_TOP_HEADING = re.compile(r"^# ", re.MULTILINE)


def render(text):
    """Safe HTML of a Markdown text: a line break stays a line break, no raw HTML survives."""
    source = _TOP_HEADING.sub("## ", text or "")
    html = markdown.markdown(source, extensions=["nl2br", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(cleaned)  # noqa: S308 - sanitised by nh3 with an allow-list just above
