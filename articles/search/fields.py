"""haystack field types of the article index (their Whoosh side is in schema.py)."""

from haystack import indexes

from .analysis import ChineseAnalyzer


class ChineseTextField(indexes.CharField):
    """A haystack field analysed by the project's Chinese analyzer.

    `boost` is the field's weight at query time; `length_norm` is BM25's b for the field
    (low for short fields whose length says little, such as a list of lender aliases);
    `by_kind` says the value is built with `with_kind`, so matches can be told apart by
    section kind.
    """

    field_type = "chinese_text"

    def __init__(self, length_norm=0.75, by_kind=False, **kwargs):
        kwargs.setdefault("analyzer", ChineseAnalyzer())
        kwargs.setdefault("stored", False)
        super().__init__(**kwargs)
        self.length_norm = length_norm
        self.by_kind = by_kind


class ExactField(indexes.CharField):
    """An untokenised value (a slug) used to filter and count results."""

    field_type = "exact"


class ExactListField(indexes.MultiValueField):
    """Untokenised values (section kinds) used to filter and count results."""

    field_type = "exact"
