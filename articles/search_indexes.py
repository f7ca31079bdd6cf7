"""The article search index: one document per published article.

Field weights (haystack's `boost`, applied at query time by articles/search/engine.py):
lender names > title > section headings and summary > section text. Section text and
headings remember the kind of section each term came from, so a search can be narrowed to
one kind and a result can link to the best matching section.
"""

from haystack import indexes

from articles.models import Article
from articles.search import lexicon
from articles.search.analysis import plain_text
from articles.search.fields import ChineseTextField, ExactField, ExactListField
from articles.search.layout import with_kind


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = ChineseTextField(document=True, boost=1.0, length_norm=0.75, by_kind=True)
    headings = ChineseTextField(boost=2.5, length_norm=0.5, by_kind=True)
    title = ChineseTextField(model_attr="title", boost=4.0, length_norm=0.5)
    lender_names = ChineseTextField(boost=6.0, length_norm=0.2)
    lender = ExactField(null=True)
    kinds = ExactListField()

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return (
            Article.objects.published()
            .select_related("lender")
            .prefetch_related("sections", "lender__aliases", "lender__numbers")
        )

    def get_updated_field(self):
        return "updated_at"

    def prepare_text(self, obj):
        return "".join(
            with_kind(section.kind, f"{section.heading}\n{plain_text(section.body)}\n")
            for section in obj.sections.all()
        )

    def prepare_headings(self, obj):
        parts = [with_kind(None, f"{obj.summary}\n")]
        parts += [with_kind(s.kind, f"{s.heading}\n") for s in obj.sections.all()]
        return "".join(parts)

    def prepare_lender_names(self, obj):
        return lexicon.lender_text(obj.lender) if obj.lender_id else ""

    def prepare_lender(self, obj):
        return obj.lender.slug if obj.lender_id else None

    def prepare_kinds(self, obj):
        return sorted({section.kind for section in obj.sections.all()})
