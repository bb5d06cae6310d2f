"""A small but real Django project, the sibling of the Flask demo.

uWSGI loads ``djdemo.wsgi:application``; ``manage.py`` runs migrations and
collectstatic. All settings come from the environment (see ``settings.py``).
"""

__version__ = "1.0.0"
