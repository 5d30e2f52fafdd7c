"""The catalogue blueprint; its routes are in the modules beside this one."""

from flask import Blueprint

bp = Blueprint("catalogue", __name__)
