"""Closing downloaded files in tests, as the server closes them."""

from django.core.signals import request_finished
from django.db import close_old_connections


def close_download(response) -> None:
    """Close a response as the server does once it is sent (a workbook's temporary file goes
    with it), without what closing it also does in a request: closing the database connection
    the test is using."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
