from django.urls import path

from . import views
from .search import views as search_views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("lenders/<slug:slug>/", views.lender_detail, name="lender"),
    path("search/", search_views.search, name="search"),
]
