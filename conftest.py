"""Loaded before Django starts: every test run gets its own data dir (database + index)."""

import os
import tempfile

os.environ.setdefault("KB_DATA_DIR", tempfile.mkdtemp(prefix="kb-test-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
