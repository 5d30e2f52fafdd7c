"""Routes of the certificates, for the access matrices (tests/feature_routes.py)."""
