"""Route tables of the coordinator tools, merged into the access matrices of the app.

Each feature keeps its routes beside its tests in `tests/routes_<feature>.py`, which may define:

- COORDINATOR_ROUTES, DIRECTOR_ROUTES: /manage routes, as (method, endpoint);
- manage_request(endpoint, world) -> (url values, form data) | None: a request that succeeds
  for the centre's director in the world of tests/test_manage_programmes.py;
- ADMIN_ROUTES and admin_request(endpoint, world): the same for /admin (tests/test_admin.py);
- PUBLIC_ROUTES, ACCOUNT_ROUTES, OWN_REGISTRATION_ROUTES: see tests/test_authorization_matrix.py;
- DOWNLOADS: endpoints whose GET answers a file rather than an HTML page.
"""

import importlib

FEATURES = (
    "exports",
    "attendance",
    "certificates",
    "dashboards",
    "messages",
    "privacy",
    "email_change",
)

MODULES = [importlib.import_module(f"tests.routes_{name}") for name in FEATURES]


def _merged(name: str) -> list[tuple[str, str]]:
    return [route for module in MODULES for route in getattr(module, name, [])]


COORDINATOR_ROUTES = _merged("COORDINATOR_ROUTES")
DIRECTOR_ROUTES = _merged("DIRECTOR_ROUTES")
ADMIN_ROUTES = _merged("ADMIN_ROUTES")
PUBLIC_ROUTES = _merged("PUBLIC_ROUTES")
ACCOUNT_ROUTES = _merged("ACCOUNT_ROUTES")
OWN_REGISTRATION_ROUTES = _merged("OWN_REGISTRATION_ROUTES")
DOWNLOADS = {endpoint for module in MODULES for endpoint in getattr(module, "DOWNLOADS", ())}


def manage_request(endpoint: str, world: dict) -> tuple[dict, dict] | None:
    """The first feature's request for endpoint, or None when no feature knows it."""
    for module in MODULES:
        builder = getattr(module, "manage_request", None)
        request = builder(endpoint, world) if builder else None
        if request is not None:
            return request
    return None


def admin_request(endpoint: str, world: dict) -> tuple[dict, dict] | None:
    for module in MODULES:
        builder = getattr(module, "admin_request", None)
        request = builder(endpoint, world) if builder else None
        if request is not None:
            return request
    return None
