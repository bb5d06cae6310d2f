#!/usr/bin/env python3
"""Django's command-line tool for this project: migrate, collectstatic, createsuperuser.

The deployment runs ``manage.py migrate`` and ``manage.py collectstatic`` with the
same environment file uWSGI gets, so both see the same database and static root.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djdemo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
