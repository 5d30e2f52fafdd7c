"""Demo content for development (filled in below)."""


def load_demo_data() -> str:
    return "Demo data loaded."
