"""Routes of the personal-data pages, for the access matrices (tests/feature_routes.py)."""
