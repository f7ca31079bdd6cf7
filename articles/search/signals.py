"""Placeholder; the search work (issue 4) makes the index follow every edit."""

from haystack.signals import BaseSignalProcessor


class ArticleSignalProcessor(BaseSignalProcessor):
    pass
