"""Helpers the tests share: factories, page reading, SQL counting, hostile input, test data."""
