"""Routes of the messages and printables, for the access matrices (tests/feature_routes.py)."""

COORDINATOR_ROUTES = [
    ("GET", "manage.message_participants"),
    ("POST", "manage.message_participants"),
    ("GET", "manage.sign_in_sheet"),
    ("GET", "manage.programme_badges"),
]


def manage_request(endpoint: str, world: dict) -> tuple[dict, dict] | None:
    """The published programme has one confirmed registration: enough to send and print."""
    published = world["published"]
    on_programme = {"centre_slug": world["centre"].slug, "programme_id": published.id}
    requests = {
        "manage.message_participants": (
            on_programme,
            {
                "audience": "confirmed",
                "subject": "Your visit to the Seoul Urban Mobility Centre",
                "body": "Dear {name},\n\nThe bus for {programme} leaves at 8:30.",
                "send": "1",
            },
        ),
        "manage.sign_in_sheet": (
            {**on_programme, "session_id": published.sessions[0].id},
            {},
        ),
        "manage.programme_badges": (on_programme, {}),
    }
    return requests.get(endpoint)
