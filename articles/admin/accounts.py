"""Admins of other apps (users, groups, login attempts): the same search length limit."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .search import limit_search

limit_search(get_user_model(), Group, AccessAttempt, AccessLog, AccessFailureLog)
