"""Accounts: sign up, confirm, log in and out, reset and change password, profile."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from . import email_change, privacy, views  # noqa: E402, F401
