"""The registrations blueprint; its routes are in the modules beside this one."""

from flask import Blueprint

bp = Blueprint("registrations", __name__)
