"""The api blueprint; its routes are in the modules beside this one."""

from flask import Blueprint

bp = Blueprint("api", __name__)
