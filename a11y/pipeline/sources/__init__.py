"""Where pages come from besides the command line: sitemaps, feeds and crawling.

Sitemaps, feeds and robots.txt are fetched and parsed here (never rendered: they are not pages);
each yields :class:`~a11y.pipeline.targets.Target` objects that record how they were found. Bad input is a
one-line :class:`SourceError` naming the input and the cause.
"""

from __future__ import annotations


class SourceError(ValueError):
    """A sitemap, feed or robots.txt that could not be read; the message is one line."""
