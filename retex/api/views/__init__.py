"""The API (views.api), the open-data files (views.files) and their pages (views.pages)."""
