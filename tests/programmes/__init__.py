"""Programmes: drafts and publishing, sessions, the catalogue, calendar files and imports."""
