"""The yardstick: a bare Flask page that runs one query, served with the same gunicorn settings.

    gunicorn -c gunicorn.conf.py "bench.bare_app:create_app()"

Its requests per second on the same machine, database and proxy turn the app's figures into a
ratio that holds on other hardware.
"""

import os

from flask import Flask
from sqlalchemy import create_engine, text

from config import normalise_database_url


def create_app() -> Flask:
    app = Flask(__name__)
    engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)

    @app.get("/bare")
    def bare():
        with engine.connect() as connection:
            value = connection.execute(text("SELECT 1")).scalar_one()
        return f"<!doctype html><title>bare</title><p>{value}</p>"

    return app
