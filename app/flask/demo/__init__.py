"""A small but real Flask application, laid out like the article's ``demo/`` package."""

import os
import platform
import re
import socket
import uuid

from flask import Flask, abort, jsonify, render_template, request, send_from_directory

__version__ = "1.0.0"


def create_app() -> Flask:
    """Build the app; settings come from the environment (the article's hotel.env)."""
    app = Flask(__name__)
    app.config["GREETING"] = os.environ.get("DEMO_GREETING", "Hello from Flask behind uWSGI and Nginx")
    # A secret is read here the way a real app would; it is never rendered or logged.
    app.config["SECRET_KEY"] = os.environ.get("DEMO_SECRET_KEY", "")
    # Uploads go to the one directory the service may write; Nginx caps their size.
    app.config["UPLOAD_DIR"] = os.environ.get("DEMO_UPLOAD_DIR", "")
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024

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

    @app.post("/uploads")
    def upload():
        # The request body is stored as a new file; its name is returned.
        if not app.config["UPLOAD_DIR"]:
            abort(404)
        name = f"{uuid.uuid4().hex}.txt"
        with open(os.path.join(app.config["UPLOAD_DIR"], name), "wb") as fh:
            fh.write(request.get_data())
        return jsonify({"name": name}), 201

    @app.get("/uploads/<name>")
    def uploaded(name: str):
        if not app.config["UPLOAD_DIR"] or not re.fullmatch(r"[0-9a-f]{32}\.txt", name):
            abort(404)
        return send_from_directory(app.config["UPLOAD_DIR"], name, mimetype="text/plain")

    return app
