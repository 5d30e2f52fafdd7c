"""Flask CLI commands: create-admin, demo-data, worker, send-reminders, offers."""

import click
from flask import Flask

from miti_training.accounts.passwords import check_new_password
from miti_training.errors import DomainError
from miti_training.extensions import db
from miti_training.models import User


def register_commands(app: Flask) -> None:
    from miti_training.cli.imports import programmes_cli
    from miti_training.cli.offers import offers_cli
    from miti_training.cli.reminders import send_reminders
    from miti_training.cli.worker import worker

    app.cli.add_command(programmes_cli)
    app.cli.add_command(offers_cli)
    app.cli.add_command(worker)
    app.cli.add_command(send_reminders)

    @app.cli.command("create-admin")
    @click.option("--email", prompt=True, help="Email address of the administrator.")
    @click.option("--name", "full_name", prompt="Full name", help="Full name.")
    @click.password_option(help="Password (asked twice when not given).")
    def create_admin(email: str, full_name: str, password: str) -> None:
        """Create an administrator account, or make an existing account an administrator."""
        from miti_training.accounts.addresses import find_user_by_email
        from miti_training.models import normalise_email, utcnow

        user = find_user_by_email(email)
        if user is None:
            user = User(email=normalise_email(email), full_name=full_name.strip())
            try:
                check_new_password(password, user)
            except DomainError as error:
                raise click.ClickException(str(error.message)) from error
            user.set_password(password)
            user.email_confirmed_at = utcnow()
            db.session.add(user)
            action = "Created administrator"
        else:
            action = "Granted administrator rights to"
        user.is_admin = True
        db.session.commit()
        click.echo(f"{action} {user.email}.")

    @app.cli.command("demo-data")
    def demo_data() -> None:
        """Load demo centres, cities, accounts and programmes (development only; idempotent)."""
        from miti_training.cli.demo import load_demo_data

        if app.config["ENV_NAME"] == "production":
            raise click.ClickException("Demo data and demo accounts are for development only.")
        try:
            summary = load_demo_data()
        except DomainError as error:
            raise click.ClickException(str(error.message)) from error
        db.session.commit()
        click.echo(summary)
