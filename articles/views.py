from django.shortcuts import get_object_or_404, render

from .models import Article, Lender


def home(request):
    lenders = Lender.objects.with_published_articles().order_by("name")
    latest = Article.objects.published().select_related("lender").latest_first()[:10]
    return render(request, "articles/home.html", {"lenders": lenders, "latest": latest})


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().select_related("lender"), slug=slug)
    sections = list(article.sections.all())
    return render(request, "articles/article.html", {"article": article, "sections": sections})


def lender_detail(request, slug):
    lender = get_object_or_404(Lender, slug=slug)
    articles = Article.objects.published().for_lender(lender).latest_first()
    return render(request, "articles/lender.html", {"lender": lender, "articles": articles})
