"""Accounts: sign-up, log in, passwords, email change, personal data, the calendar feed."""
