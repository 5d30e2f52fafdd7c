"""Helpers the tests share: factories, form data, page and SQL reading, the audit trail, hostile
input, tampered tokens, the Redis test database, test data and the table of every route."""
