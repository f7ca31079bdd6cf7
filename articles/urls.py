from django.urls import path

from . import feedback, feeds, numbers, reports, views
from .search import views as search_views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("lenders/", views.lender_index, name="lenders"),
    path("lenders/<slug:slug>/", views.lender_detail, name="lender"),
    path("search/", search_views.search, name="search"),
    path("number/", numbers.number_check, name="number_check"),
    path("number/report/", reports.report_number, name="number_report"),
    path("guides/scam-calls/", numbers.scam_guide, name="scam_guide"),
    path("articles/<slug:slug>/feedback/", feedback.submit_feedback, name="feedback"),
    path("feeds/articles.atom", feeds.AtomArticlesFeed(), name="feed_atom"),
    path("feeds/articles.rss", feeds.ArticlesFeed(), name="feed_rss"),
]
