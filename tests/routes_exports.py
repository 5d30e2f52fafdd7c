"""Routes of the exports, for the access matrices (tests/feature_routes.py)."""

COORDINATOR_ROUTES = [
    ("GET", "manage.export_registrations"),
    ("GET", "manage.export_csv"),
    ("GET", "manage.export_xlsx"),
]

DOWNLOADS = {"manage.export_csv", "manage.export_xlsx"}


def manage_request(endpoint: str, world: dict) -> tuple[dict, dict] | None:
    """The published programme of the world (one confirmed registration), default status."""
    if endpoint not in {route for _method, route in COORDINATOR_ROUTES}:
        return None
    return {"centre_slug": world["centre"].slug, "programme_id": world["published"].id}, {}
