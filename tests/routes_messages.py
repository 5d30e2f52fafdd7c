"""Routes of the messages, for the access matrices (tests/feature_routes.py)."""
