"""The auth blueprint; its routes are in the modules beside this one."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
