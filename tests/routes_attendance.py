"""Routes of the attendance, for the access matrices (tests/feature_routes.py)."""
