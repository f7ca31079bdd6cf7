"""Placeholder search views; replaced by the search work (issue 4)."""

from django.http import JsonResponse
from django.shortcuts import render


def search(request):
    query = request.GET.get("q", "")[:100]
    return render(request, "search/search.html", {"query": query, "results": []})


def api_search(request):
    query = request.GET.get("q", "")[:100]
    return JsonResponse({"query": query, "total": 0, "results": []})


def api_suggest(request):
    query = request.GET.get("q", "")[:100]
    return JsonResponse({"query": query, "suggestions": []})
