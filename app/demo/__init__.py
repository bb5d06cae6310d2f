"""A small but real Flask application, laid out like the article's ``demo/`` package."""

import os
import platform
import socket

from flask import Flask, jsonify, render_template

__version__ = "1.0.0"


def create_app() -> Flask:
    """Build the app; settings come from the environment (the article's hotel.env)."""
    app = Flask(__name__)
    app.config["GREETING"] = os.environ.get("DEMO_GREETING", "Hello from Flask behind uWSGI and Nginx")
    # A secret is read here the way a real app would; it is never rendered or logged.
    app.config["SECRET_KEY"] = os.environ.get("DEMO_SECRET_KEY", "")

    @app.get("/")
    def index():
        return render_template(
            "index.html",
            greeting=app.config["GREETING"],
            host=socket.gethostname(),
            python=platform.python_version(),
            version=__version__,
        )

    @app.get("/healthz")
    def healthz():
        # 200 only when the app can serve: it is configured (has its secret) and imported.
        ok = bool(app.config["SECRET_KEY"])
        body = {"status": "ok" if ok else "unconfigured", "version": __version__, "host": socket.gethostname()}
        return jsonify(body), 200 if ok else 503

    return app
