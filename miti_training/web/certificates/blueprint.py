"""The certificates blueprint; its routes are in the modules beside this one."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)
