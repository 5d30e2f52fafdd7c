"""Routes of the change of email address, for the access matrices (tests/feature_routes.py)."""

ACCOUNT_ROUTES = [
    ("GET", "auth.change_email"),
    ("POST", "auth.change_email"),
]

#: The signed link is enough, like a password-reset link: no login needed.
PUBLIC_ROUTES = [
    ("GET", "auth.confirm_email_change"),
]
