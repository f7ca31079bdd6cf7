"""Placeholder; the search work (issue 4) replaces this with the Chinese Whoosh backend."""

from haystack.backends.whoosh_backend import WhooshEngine


class ChineseWhooshEngine(WhooshEngine):
    pass
