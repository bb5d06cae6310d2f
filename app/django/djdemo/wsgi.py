"""WSGI entry point: uWSGI loads ``djdemo.wsgi:application``.

In uwsgi.ini this is ``module = djdemo.wsgi:application`` with ``chdir`` set to
the directory holding ``manage.py``; the settings module defaults to ours.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djdemo.settings")

application = get_wsgi_application()
