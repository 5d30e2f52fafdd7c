"""Routes of the dashboards, for the access matrices (tests/feature_routes.py)."""

COORDINATOR_ROUTES = [("GET", "manage.centre_dashboard")]
ADMIN_ROUTES = [("GET", "admin.network_dashboard"), ("GET", "admin.network_dashboard_csv")]
DOWNLOADS = {"admin.network_dashboard_csv"}


def manage_request(endpoint: str, world: dict) -> tuple[dict, dict] | None:
    if endpoint == "manage.centre_dashboard":
        return {"centre_slug": world["centre"].slug}, {}
    return None


def admin_request(endpoint: str, world: dict) -> tuple[dict, dict] | None:
    if endpoint == "admin.network_dashboard":
        return {}, {}
    if endpoint == "admin.network_dashboard_csv":
        return {"table": "centres"}, {}
    return None
