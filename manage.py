#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
    if sys.argv[1:2] != ["collectstatic"]:
        # What the site writes (database, search index, keys, exports) is its owner's alone.
        # Static files are public, and nginx may serve them as another user.
        os.umask(0o077)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
