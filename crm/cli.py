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
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(purge_trash_command)


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


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path: str) -> None:
    """Write a consistent copy of the database to PATH, while the app runs."""
    from crm.backup import BackupError, backup

    try:
        written = backup(db.engine, path)
    except BackupError as error:
        raise click.ClickException(str(error))
    click.echo(f"Backup written to {written}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path: str, yes: bool) -> None:
    """Replace the database's contents with the backup at PATH (stop the app first)."""
    from crm.backup import BackupError, restore

    if not yes:
        click.confirm("This replaces everything in the database with the backup. Go on?", abort=True)
    try:
        restore(db.engine, path)
    except BackupError as error:
        raise click.ClickException(str(error))
    click.echo(f"Restored from {path}")


@click.command("purge-trash")
def purge_trash_command() -> None:
    """Delete for good what has been in the trash for more than 30 days (run it daily)."""
    from crm.trash.services import purge_expired

    count = purge_expired()
    db.session.commit()
    click.echo(f"{count} records deleted for good.")
