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
    app.cli.add_command(bench_command)


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
@click.option("--scale", default="small", show_default=True, metavar="small|large|FRACTION",
              help="small: a few dozen records made through the services; large: a decade of a large cluster "
                   "(100,000 meetings) written in bulk; a number such as 0.1: that share of the large set.")
@click.option("--seed", default=2026, show_default=True, help="The random seed of the large set.")
def seed_demo_command(scale: str, seed: int) -> None:
    """Fill an empty database with demo data and a demo admin account (refuses a database with data)."""
    from crm.demo import DatabaseNotEmpty, seed_demo

    fraction = _scale_fraction(scale)
    try:
        if fraction is None:
            admin_email, password = seed_demo()
        else:
            from crm.demo_large import seed_large
            built = seed_large(fraction, seed)
            admin_email, password = built.admin_email, built.password
    except DatabaseNotEmpty as error:
        db.session.rollback()
        raise click.ClickException(str(error))
    db.session.commit()
    if fraction is not None:
        click.echo(", ".join(f"{count:,} {table}" for table, count in built.counts.items()))
    click.echo("Demo data created.")
    click.echo(f"Sign in as {admin_email} with the password: {password}")


def _scale_fraction(scale: str) -> float | None:
    """None for the small demo, else the share of the large set to build."""
    if scale == "small":
        return None
    if scale == "large":
        return 1.0
    try:
        fraction = float(scale)
    except ValueError:
        fraction = 0.0
    if not 0 < fraction <= 1:
        raise click.BadParameter("use small, large or a number above 0 and at most 1", param_hint="--scale")
    return fraction


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


@click.command("bench")
@click.option("--database-url", default=None, help="An empty PostgreSQL database to run on (default: a new SQLite "
                                                    "file in a temporary folder).")
@click.option("--scale", default=1.0, show_default=True, help="The share of the large demo set to load.")
@click.option("--rounds", default=7, show_default=True, help="Rounds of requests to every page (at least 5).")
@click.option("--http", "use_http", is_flag=True, help="Also measure requests per second under gunicorn.")
@click.option("--http-seconds", default=3.0, show_default=True, help="Seconds of load per page and HTTP round.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False), help="Also write the figures to this file.")
def bench_command(database_url: str | None, scale: float, rounds: int, use_http: bool, http_seconds: float,
                  json_path: str | None) -> None:
    """Load the large demo set into a fresh database and time the main pages against a bare route."""
    from crm.bench import BenchError, run_bench

    try:
        run_bench(database_url, scale=scale, rounds=rounds, use_http=use_http, http_seconds=http_seconds,
                  json_path=json_path, echo=click.echo)
    except BenchError as error:
        raise click.ClickException(str(error))
