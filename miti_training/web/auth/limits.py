"""Rate limits on the account forms (brute force and automated sign-ups)."""

from flask import current_app, request
from flask_login import current_user

from miti_training.accounts.addresses import normalise_email
from miti_training.extensions import limiter


def _configured(name: str):
    return lambda: current_app.config[name]


def _typed_account() -> str:
    """The address typed in the form, known or not, so limits do not reveal accounts."""
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def account_key(kind: str) -> str:
    """Per account: its id and creation time (kept across logins, fresh for a reused row id);
    the client address for a visitor who is not logged in."""
    if not current_user.is_authenticated:
        return f"{kind}:address:{request.remote_addr or ''}"
    return f"{kind}:{current_user.id}:{current_user.created_at.isoformat()}"


def _refused(response) -> bool:
    """The form came back (200) instead of redirecting: the attempt failed."""
    return response.status_code == 200


login_per_address = limiter.limit(_configured("LOGIN_RATE_LIMIT"), methods=["POST"])
#: Per-account backoff: after repeated failures the account's form is locked for a while.
login_failures_per_account = limiter.limit(
    _configured("LOGIN_FAILURE_LIMIT"),
    methods=["POST"],
    key_func=_typed_account,
    deduct_when=_refused,
)
signup_per_address = limiter.limit(_configured("SIGNUP_RATE_LIMIT"), methods=["POST"])
reset_per_address = limiter.limit(_configured("RESET_RATE_LIMIT"), methods=["POST"])
reset_per_account = limiter.limit(
    _configured("RESET_PER_ACCOUNT_LIMIT"), methods=["POST"], key_func=_typed_account
)
