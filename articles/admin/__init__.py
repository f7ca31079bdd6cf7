"""The editors' admin, in Chinese. Importing the modules registers their ModelAdmins."""

from . import accounts, articles, editorial, lenders  # noqa: F401
