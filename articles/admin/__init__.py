"""The editors' admin, in Chinese. Importing the modules registers their ModelAdmins."""

from . import accounts, articles, editorial, lenders, reports  # noqa: F401
