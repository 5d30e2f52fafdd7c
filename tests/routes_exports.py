"""Routes of the exports, for the access matrices (tests/feature_routes.py)."""
