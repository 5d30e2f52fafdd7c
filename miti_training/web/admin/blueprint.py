"""The admin blueprint; its routes are in the modules beside this one."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
