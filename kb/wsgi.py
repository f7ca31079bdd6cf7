import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings")
# Whatever the server's umask, the database, WAL files and index segments a worker creates are
# readable by the site's own user only.
os.umask(0o077)
application = get_wsgi_application()
