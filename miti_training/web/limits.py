"""Rate limits: per client address, per account, or per address typed in a form.

Each limit reads its setting (Flask-Limiter syntax) from the configuration when a request
comes; config.Config holds the defaults.
"""

import time

from flask import Flask, current_app, g, request
from flask_login import current_user, login_fresh
from limits import parse_many

from miti_training.extensions import limiter
from miti_training.models import normalise_email
from miti_training.web.sessions import is_known_device


def configured(name: str):
    """The limit named name in the configuration, read at each request."""
    return lambda: current_app.config[name]


def _typed(email: str) -> str:
    return "account:" + normalise_email(email)[:254]


def _with_client(key: str) -> str:
    return f"{key}|client:{request.remote_addr or ''}"


def typed_account() -> str:
    """The address typed in the form, known or not, so limits do not reveal accounts."""
    return _typed(request.form.get("email", ""))


def typed_account_and_client() -> str:
    """The address typed and the client typing it."""
    return _with_client(typed_account())


def account_key(kind: str) -> str:
    """Per account: its id and creation time (kept across logins, fresh for a reused row id);
    the client address for a visitor who is not logged in."""
    if not current_user.is_authenticated:
        return f"{kind}:address:{request.remote_addr or ''}"
    return f"{kind}:{current_user.id}:{current_user.created_at.isoformat()}"


def _identifiers(key: str, scope: str) -> list[str]:
    """The storage identifiers Flask-Limiter uses for a shared limit's key and scope."""
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX", "")
    return [prefix, key, scope] if prefix else [key, scope]


def _hit(setting: str, key: str, scope: str) -> bool:
    """Counts one against each limit of a setting; False if any is used up."""
    items = parse_many(current_app.config[setting])
    try:
        return all([limiter.limiter.hit(item, *_identifiers(key, scope)) for item in items])
    except Exception:
        # The counters' store is unreachable: allow, as the limiter's own checks do then.
        current_app.logger.warning("rate-limit storage unreachable", exc_info=True)
        return True


def _clear(setting: str, key: str, scope: str) -> None:
    try:
        for item in parse_many(current_app.config[setting]):
            limiter.limiter.clear(item, *_identifiers(key, scope))
    except Exception:
        current_app.logger.warning("rate-limit storage unreachable", exc_info=True)


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
# docs/security.md, item 22: guesses are throttled per (address typed, client) for a minute at
# most, per client across addresses, and per account only for browsers that never logged in to
# it; reset requests are limited per (address typed, client), and mail per address is capped
# without telling anyone.

login_per_address = limiter.limit(configured("LOGIN_RATE_LIMIT"), methods=["POST"])
login_failures_per_client = limiter.shared_limit(
    configured("LOGIN_CLIENT_FAILURE_LIMIT"),
    scope="login-failures",
    methods=["POST"],
    key_func=typed_account_and_client,
    deduct_when=form_came_back,
)
login_failures_per_account = limiter.shared_limit(
    configured("LOGIN_ACCOUNT_FAILURE_LIMIT"),
    scope="login-failures-account",
    methods=["POST"],
    key_func=typed_account,
    deduct_when=form_came_back,
    exempt_when=lambda: is_known_device(request.form.get("email", "")),
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
reset_per_client = limiter.shared_limit(
    configured("RESET_CLIENT_LIMIT"),
    scope="reset-requests",
    methods=["POST"],
    key_func=typed_account_and_client,
)


def reset_mail_allowed(email: str) -> bool:
    """Counts a reset mail to email; False once RESET_MAIL_LIMIT is reached. The owner then
    still has the links sent within the window (which is no longer than a link lives)."""
    return _hit("RESET_MAIL_LIMIT", _typed(email), "reset-mail")


def unlock_logins(email: str) -> None:
    """After a password reset: forget the account's failed logins and this client's."""
    _clear("LOGIN_ACCOUNT_FAILURE_LIMIT", _typed(email), "login-failures-account")
    _clear("LOGIN_CLIENT_FAILURE_LIMIT", _with_client(_typed(email)), "login-failures")
    _clear("LOGIN_FAILURE_LIMIT", account_key("password-failure"), "password-failures")


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
#: Only a wrong current password counts, not a new password the form refused.
password_failures_per_account = limiter.shared_limit(
    configured("LOGIN_FAILURE_LIMIT"),
    scope="password-failures",
    methods=["POST"],
    key_func=lambda: account_key("password-failure"),
    deduct_when=lambda response: g.get("wrong_password", False),
)


def note_wrong_password() -> None:
    """The current password given was wrong: password_failures_per_account counts it."""
    g.wrong_password = True


# Participants --------------------------------------------------------------------------------

registrations_per_account = per_account("REGISTRATION_RATE_LIMIT", "registrations")
check_ins_per_account = per_account("CHECK_IN_RATE_LIMIT", "check-in")
#: A transcript is a file of personal data, like an attendee list: the exports' limit.
transcripts_per_account = per_account("EXPORT_RATE_LIMIT", "transcripts")
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

# Public API ----------------------------------------------------------------------------------

#: Every API request per client address: the API is anonymous, so only the address can count it.
api_per_address = limiter.limit(configured("API_RATE_LIMIT"))


def register(app: Flask) -> None:
    @app.after_request
    def _retry_after_on_refusals(response):
        # No X-RateLimit-* headers (RATELIMIT_HEADERS_ENABLED is off): on every limited answer
        # they cost a read of the counters' storage. A refused request still says when to
        # come back: that read is made for it alone.
        if response.status_code == 429 and "Retry-After" not in response.headers:
            try:
                limit = limiter.current_limit
                wait = int(limit.reset_at - time.time()) if limit is not None else 60
            except Exception:  # the counters' storage failing: a minute is a safe answer
                wait = 60
            response.headers["Retry-After"] = str(max(1, wait))
        return response
