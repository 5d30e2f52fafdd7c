"""What the benchmarks share: a scratch PostgreSQL database and the Seoul centre."""

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import normalise_database_url
from miti_training.models import Centre, CentreKind


def postgres_scratch(server_url: str, label: str):
    """Create an empty scratch database beside server_url's; returns (url, drop)."""
    server = make_url(normalise_database_url(server_url))
    name = f"{server.database or 'miti'}_{label}_{os.getpid()}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def seoul_centre() -> Centre:
    """The headquarters, as every benchmark seeds it."""
    return Centre(
        slug="seoul",
        name="MITI Headquarters Seoul",
        city="Seoul",
        country="Republic of Korea",
        timezone="Asia/Seoul",
        kind=CentreKind.HEADQUARTERS,
        contact_email="miti@seoul.example",
    )
