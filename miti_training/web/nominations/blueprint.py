"""The nominations blueprint; its routes are in the modules beside this one."""

from flask import Blueprint

bp = Blueprint("nominations", __name__)
