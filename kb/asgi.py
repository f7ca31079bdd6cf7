import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
os.umask(0o077)  # as kb/wsgi.py: what a worker writes is the site user's alone
application = get_asgi_application()
