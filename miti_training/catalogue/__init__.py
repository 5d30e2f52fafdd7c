"""Public catalogue: programmes, centres and calendar files."""

from flask import Blueprint

from .. import ui

bp = Blueprint("catalogue", __name__)

# Card and programme helpers are used on other blueprints' pages too (home, emails).
for _name, _function in ui.TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_function, _name)

from . import views  # noqa: E402, F401
