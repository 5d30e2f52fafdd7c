"""The main blueprint; its routes are in the modules beside this one."""

from flask import Blueprint

bp = Blueprint("main", __name__)
