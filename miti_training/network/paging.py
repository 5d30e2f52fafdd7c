"""How many rows the administration's lists show per page."""

#: Rows per page on the administration's list pages.
PAGE_SIZE = 50
