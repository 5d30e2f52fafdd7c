"""Page numbers of the network's lists and dashboards."""

#: Rows per page on the administration's list pages.
PAGE_SIZE = 50
#: Page numbers beyond this are treated as this one (an OFFSET must stay a 64-bit integer).
MAX_PAGE = 1_000_000


def clamp_page(page: int | None) -> int:
    """page within 1..MAX_PAGE (a missing one is the first), whatever the query string said."""
    return min(max(page or 1, 1), MAX_PAGE)
