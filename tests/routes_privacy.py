"""Routes of the personal-data pages, for the access matrices (tests/feature_routes.py)."""

ACCOUNT_ROUTES = [
    ("GET", "auth.download_data"),
    ("GET", "auth.delete_account"),
    ("POST", "auth.delete_account"),
]

DOWNLOADS = {"auth.download_data"}
