"""Entry point, as in the article: uWSGI loads ``manage:app``.

Run it locally with ``flask --app manage run``; in production uWSGI imports this
module (``module = manage:app`` in uwsgi.ini) and serves ``app``.
"""

from demo import create_app

app = create_app()
