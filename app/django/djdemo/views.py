"""The demo's two views: a page that says who served it, and a health check."""

import os
import platform
import socket

import django
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import __version__


@require_safe
def index(request):
    return render(
        request,
        "index.html",
        {
            "greeting": os.environ.get("DJANGO_GREETING") or "Hello from Django behind uWSGI and Nginx",
            "host": socket.gethostname(),
            "python": platform.python_version(),
            "django": django.get_version(),
            "version": __version__,
        },
    )


@require_safe
def healthz(request):
    # 200 only when the app can really serve: the database answers and every
    # migration is applied (a deploy that skipped ``migrate`` shows up here).
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        status = "unmigrated" if pending else "ok"
    except DatabaseError:
        status = "db-error"
    body = {"status": status, "version": __version__, "host": socket.gethostname(), "kind": "django"}
    return JsonResponse(body, status=200 if status == "ok" else 503)
