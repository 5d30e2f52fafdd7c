"""The flask commands and the demo data."""
