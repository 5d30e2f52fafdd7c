"""Rate limits: per client address, per account, or per address typed in a form.

Each limit reads its setting (Flask-Limiter syntax) from the configuration when a request
comes; config.Config holds the defaults.
"""

from flask import current_app, request
from flask_login import current_user, login_fresh

from miti_training.extensions import limiter
from miti_training.models import normalise_email


def configured(name: str):
    """The limit named name in the configuration, read at each request."""
    return lambda: current_app.config[name]


def typed_account() -> str:
    """The address typed in the form, known or not, so limits do not reveal accounts."""
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def account_key(kind: str) -> str:
    """Per account: its id and creation time (kept across logins, fresh for a reused row id);
    the client address for a visitor who is not logged in."""
    if not current_user.is_authenticated:
        return f"{kind}:address:{request.remote_addr or ''}"
    return f"{kind}:{current_user.id}:{current_user.created_at.isoformat()}"


def form_came_back(response) -> bool:
    """The form came back (200) instead of redirecting: the attempt failed."""
    return response.status_code == 200


def redirected(response) -> bool:
    """The action was done and the page redirects to its result."""
    return response.status_code == 302


def per_account(setting: str, kind: str, **options):
    """A limit on the POSTs of one account, counted apart for each kind of request."""
    return limiter.limit(
        configured(setting), methods=["POST"], key_func=lambda: account_key(kind), **options
    )


# Accounts ------------------------------------------------------------------------------------

login_per_address = limiter.limit(configured("LOGIN_RATE_LIMIT"), methods=["POST"])
#: Per-account backoff: after repeated failures the account's form is locked for a while.
login_failures_per_account = limiter.limit(
    configured("LOGIN_FAILURE_LIMIT"),
    methods=["POST"],
    key_func=typed_account,
    deduct_when=form_came_back,
)
signup_per_address = limiter.limit(configured("SIGNUP_RATE_LIMIT"), methods=["POST"])
#: Sign-up mails per address typed (a link, or a notice to the owner): asking for the link
#: again is sending the form again. A refused form sent nothing and is not counted.
signup_per_email = limiter.limit(
    configured("SIGNUP_PER_EMAIL_LIMIT"),
    methods=["POST"],
    key_func=typed_account,
    deduct_when=redirected,
)
reset_per_address = limiter.limit(configured("RESET_RATE_LIMIT"), methods=["POST"])
reset_per_account = limiter.limit(
    configured("RESET_PER_ACCOUNT_LIMIT"), methods=["POST"], key_func=typed_account
)
#: Only requests that sent mail count (not a refused form, not the redirect to log in again).
email_changes_per_account = per_account(
    "EMAIL_CHANGE_RATE_LIMIT",
    "email-change",
    deduct_when=lambda response: redirected(response) and login_fresh(),
)
#: Wrong passwords on the email change and deletion forms count like failed logins.
email_change_failures_per_account = per_account(
    "LOGIN_FAILURE_LIMIT", "email-change-failure", deduct_when=form_came_back
)
deletion_failures_per_account = per_account(
    "LOGIN_FAILURE_LIMIT", "delete-account", deduct_when=form_came_back
)

# Participants --------------------------------------------------------------------------------

registrations_per_account = per_account("REGISTRATION_RATE_LIMIT", "registrations")
check_ins_per_account = per_account("CHECK_IN_RATE_LIMIT", "check-in")
certificate_lookups_per_address = limiter.shared_limit(
    configured("CERTIFICATE_LOOKUP_RATE_LIMIT"), scope="certificate-lookup"
)

# Staff ---------------------------------------------------------------------------------------


def _is_not_a_send() -> bool:
    return request.method != "POST" or "send" not in request.form


#: Previews are not counted; only a message that went out is, so a refused one can be
#: corrected and sent.
messages_per_account = per_account(
    "MESSAGE_RATE_LIMIT", "messages", exempt_when=_is_not_a_send, deduct_when=redirected
)
#: One budget for CSV and XLSX downloads of attendee lists together.
exports_per_account = limiter.shared_limit(
    configured("EXPORT_RATE_LIMIT"), scope="exports", key_func=lambda: account_key("export")
)
dashboard_exports_per_account = limiter.limit(
    configured("EXPORT_RATE_LIMIT"), key_func=lambda: account_key("dashboard-export")
)
