"""The editors' admin, in Chinese. Importing the modules registers their ModelAdmins."""

from . import articles, editorial, lenders  # noqa: F401
