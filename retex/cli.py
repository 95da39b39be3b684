"""The `retex` command: Django's management commands with Retex's settings by default.

`retex territories load`, `retex demo`, `retex runserver` … are plain management commands;
this wrapper only spares the user from knowing about DJANGO_SETTINGS_MODULE.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "retex.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["retex", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
