"""A small but real Flask application, laid out like the article's ``demo/`` package."""

import os
import platform
import random
import re
import socket
import time
import uuid

from flask import Flask, abort, jsonify, render_template, request, send_from_directory

__version__ = "1.0.0"

# The longest a request may ask /work or /page to wait, and the most rows /page renders:
# bounded, so a caller cannot hold a worker for long or make a page of any size.
MAX_WAIT_MS = 1000
MAX_ROWS = 1000


def _bounded_int(name: str, default: int, upper: int) -> int:
    """A query argument as an int in [0, upper]; anything else is a 400, not a 500."""
    value = request.args.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        abort(400, f"{name} must be an integer")
    if not 0 <= number <= upper:
        abort(400, f"{name} must be between 0 and {upper}")
    return number


def _orders(count: int) -> list:
    """In-memory rows standing in for a table the page reads (the same on every start)."""
    rng = random.Random(18)
    statuses = ["new", "paid", "shipped", "delivered", "returned"]
    return [
        {
            "id": 10000 + i,
            "customer": f"customer-{rng.randrange(1000):03d}",
            "quantity": rng.randrange(1, 9),
            "total": rng.randrange(500, 50000) / 100,
            "status": rng.choice(statuses),
        }
        for i in range(count)
    ]


def create_app() -> Flask:
    """Build the app; settings come from the environment (the article's hotel.env)."""
    # DEMO_IMPORT_SECONDS makes loading the app take that long, like a Django project with
    # many apps: the tests show that no request waits for it during a reload.
    time.sleep(min(float(os.environ.get("DEMO_IMPORT_SECONDS", "0") or 0), 10.0))
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

    @app.get("/work")
    def work():
        # A request that waits the way one waiting on a database or another service does:
        # time.sleep releases the GIL, so the worker's other threads keep serving meanwhile.
        wait_ms = _bounded_int("wait_ms", 50, MAX_WAIT_MS)
        time.sleep(wait_ms / 1000)
        return jsonify({"waited_ms": wait_ms})

    orders = _orders(MAX_ROWS)

    @app.get("/page")
    def page():
        # A mixed page: a short wait (the query, GIL released), then a template rendered
        # from a few hundred in-memory rows (CPU, GIL held).
        wait_ms = _bounded_int("wait_ms", 5, MAX_WAIT_MS)
        rows = orders[: _bounded_int("rows", 300, MAX_ROWS)]
        time.sleep(wait_ms / 1000)
        total = round(sum(row["total"] for row in rows), 2)
        return render_template("orders.html", rows=rows, total=total, version=__version__)

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
