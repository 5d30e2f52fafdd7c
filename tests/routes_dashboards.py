"""Routes of the dashboards, for the access matrices (tests/feature_routes.py)."""
