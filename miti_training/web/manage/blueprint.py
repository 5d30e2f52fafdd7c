"""The manage blueprint; its routes are in the modules beside this one."""

from flask import Blueprint

bp = Blueprint("manage", __name__)
