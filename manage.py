#!/usr/bin/env python3
"""Django's manage.py; the `retex` command does the same once the project is installed."""

from retex.cli import main

if __name__ == "__main__":
    main()
