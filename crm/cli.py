"""Command-line tools for operators and scripts; they call the services, nothing else."""
import sys

import click
from flask import Flask

from crm.errors import ValidationError
from crm.extensions import db
from crm.models import Role
from crm.users.services import UserData, create_user


def register_commands(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.VIEWER.value, show_default=True)
@click.option("--name", default=None, help="Full name (default: the part of the email before @).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
def create_user_command(email: str, role: str, name: str | None, password_stdin: bool) -> None:
    """Create a user account with a role (admin, manager or viewer)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(UserData(email=email, name=name or email.split("@")[0], role=Role(role)), password)
    except ValidationError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message))
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}")


@click.command("seed-demo")
def seed_demo_command() -> None:
    """Fill an empty database with demo data and a demo admin account (refuses a database with data)."""
    from crm.demo import DatabaseNotEmpty, seed_demo

    try:
        admin_email, password = seed_demo()
    except DatabaseNotEmpty as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    db.session.commit()
    click.echo("Demo data created.")
    click.echo(f"Sign in as {admin_email} with the password: {password}")
