from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("search/", views.api_search, name="search"),
    path("suggest/", views.api_suggest, name="suggest"),
]
