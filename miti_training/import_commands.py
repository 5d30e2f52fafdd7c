"""`flask programmes ...`: command-line tools for a centre's programmes."""

from flask.cli import AppGroup

programmes_cli = AppGroup("programmes", help="Manage programmes from the command line.")
