"""Static files: hashed and compressed names once collectstatic has run, plain ones before."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger("kb.storage")


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Whitenoise's storage, tolerant of a missing manifest or manifest entry.

    Without `staticfiles.json` (collectstatic never ran: tests, a first start) pages link the
    plain names, which whitenoise then serves from the app directories (WHITENOISE_USE_FINDERS).
    A template naming a file collectstatic did not see costs that one asset (a 404, logged),
    not every page that links it (Django's ValueError, a 500).
    """

    def stored_name(self, name):
        if not self.hashed_files:
            return name
        try:
            return super().stored_name(name)
        except ValueError:
            logger.error("static file %r is not in the manifest: run collectstatic", name)
            return name
