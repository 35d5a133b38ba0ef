"""The operator commands: create-user and seed-demo."""
import re

import pytest
from sqlalchemy import func, select

from crm.extensions import db as _db
from crm.models import (NORWAY, Contact, Deal, DealStage, DealStageChange, Event, ExchangeRate, FollowUp, Investor,
                        Meeting, Note, Role, Startup, User)

GOOD_PASSWORD = "a long enough passphrase"


def log_in(client, email, password):
    return client.post("/auth/login", data={"email": email, "password": password})


def count(model, *where) -> int:
    return _db.session.scalar(select(func.count()).select_from(model).where(*where))


def user(email) -> User | None:
    _db.session.expire_all()
    return _db.session.scalar(select(User).where(User.email == email))


# --- create-user ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["admin", "manager", "viewer"])
def test_create_user_with_the_password_on_stdin_makes_an_account_that_signs_in(runner, client, role):
    result = runner.invoke(args=["create-user", "kari@example.com", "--role", role, "--password-stdin"],
                           input=GOOD_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert f"Created {role} kari@example.com" in result.output
    assert GOOD_PASSWORD not in result.output
    assert user("kari@example.com").role is Role(role)
    assert user("kari@example.com").name == "kari"

    response = log_in(client, "kari@example.com", GOOD_PASSWORD)
    assert response.status_code == 302
    assert response.location == "/"
    assert client.get("/users/").status_code == (200 if role == "admin" else 403)


def test_create_user_takes_a_name_and_stores_the_email_in_lower_case(runner, client):
    result = runner.invoke(args=["create-user", "Kari.Nordmann@Example.com", "--name", "Kari Nordmann",
                                 "--role", "manager", "--password-stdin"], input=GOOD_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    created = user("kari.nordmann@example.com")
    assert created.name == "Kari Nordmann"
    assert log_in(client, "Kari.Nordmann@Example.com", GOOD_PASSWORD).status_code == 302
    assert "Kari Nordmann" in client.get("/").get_data(as_text=True)


def test_create_user_without_a_role_makes_a_viewer(runner):
    result = runner.invoke(args=["create-user", "ola@example.com", "--password-stdin"], input=GOOD_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert user("ola@example.com").role is Role.VIEWER


def test_create_user_prompts_twice_for_the_password_when_not_on_stdin(runner, client):
    result = runner.invoke(args=["create-user", "ola@example.com", "--role", "manager"],
                           input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert "Created manager ola@example.com" in result.output
    assert GOOD_PASSWORD not in result.output  # the prompt hides what is typed
    assert user("ola@example.com").role is Role.MANAGER
    assert log_in(client, "ola@example.com", GOOD_PASSWORD).status_code == 302


def test_create_user_asks_again_when_the_two_typed_passwords_differ(runner):
    result = runner.invoke(args=["create-user", "ola@example.com"],
                           input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}x\n{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "The two entered values do not match." in result.output
    assert user("ola@example.com") is not None


@pytest.mark.parametrize("args,stdin", [
    (["create-user", "ola@example.com", "--password-stdin"], "short\n"),
    (["create-user", "ola@example.com", "--password-stdin"], "elevenchars\n"),
    (["create-user", "ola@example.com", "--password-stdin"], "\n"),
    (["create-user", "ola@example.com"], "short\nshort\n"),
])
def test_create_user_with_a_too_short_password_fails_with_a_clear_message(runner, args, stdin):
    result = runner.invoke(args=args, input=stdin)
    assert result.exit_code != 0
    assert "Use at least 12 characters." in result.output
    assert "Traceback" not in result.output
    assert user("ola@example.com") is None


def test_create_user_with_the_email_as_password_fails(runner):
    result = runner.invoke(args=["create-user", "ola.nordmann@example.com", "--password-stdin"],
                           input="ola.nordmann@example.com\n")
    assert result.exit_code != 0
    assert "The password cannot be the email address." in result.output
    assert user("ola.nordmann@example.com") is None


@pytest.mark.parametrize("email", ["kari@example.com", "KARI@example.com"])
def test_create_user_with_an_email_already_in_use_fails_and_changes_nothing(runner, client, email):
    first = runner.invoke(args=["create-user", "kari@example.com", "--role", "viewer", "--password-stdin"],
                          input=GOOD_PASSWORD + "\n")
    assert first.exit_code == 0, first.output
    result = runner.invoke(args=["create-user", email, "--role", "admin", "--password-stdin"],
                           input="another long passphrase\n")
    assert result.exit_code != 0
    assert "An account with this email already exists." in result.output
    assert count(User) == 1
    assert user("kari@example.com").role is Role.VIEWER
    assert log_in(client, "kari@example.com", GOOD_PASSWORD).status_code == 302


def test_create_user_refuses_an_unknown_role(runner):
    result = runner.invoke(args=["create-user", "ola@example.com", "--role", "superuser", "--password-stdin"],
                           input=GOOD_PASSWORD + "\n")
    assert result.exit_code != 0
    assert "superuser" in result.output
    assert count(User) == 0


# --- seed-demo ------------------------------------------------------------------------------

def _seed(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result


def _sign_in_line(output: str) -> tuple[str, str]:
    match = re.search(r"Sign in as (\S+) with the password: (\S+)", output)
    assert match, output
    return match.group(1), match.group(2)


def test_seed_demo_fills_an_empty_database_with_a_realistic_data_set(runner):
    result = _seed(runner)
    assert "Demo data created." in result.output

    investors = count(Investor)
    assert investors >= 24  # several dozen
    assert count(Investor, Investor.country == NORWAY) >= 10
    assert count(Investor, Investor.country != NORWAY) >= 10
    assert count(Startup) >= 12
    assert count(Contact) >= investors
    assert count(Meeting) >= 24
    assert count(User) >= 2
    assert count(FollowUp) >= 10 and count(FollowUp, FollowUp.done_at.is_not(None)) >= 1
    assert count(Note) >= 5
    [event] = _db.session.scalars(select(Event)).all()
    assert count(Meeting, Meeting.event_id == event.id) >= 10  # its grid


def test_seed_demo_builds_a_pipeline_with_histories_across_months_and_exchange_rates(runner):
    _seed(runner)
    assert count(Deal) >= 40
    assert count(DealStageChange) > count(Deal)  # deals moved on after they were added
    for stage in DealStage:
        assert count(Deal, Deal.stage == stage) >= 1, stage
    assert count(Deal, Deal.currency != "NOK") >= 5
    months = {at.strftime("%Y-%m") for at in _db.session.scalars(select(DealStageChange.at))}
    assert len(months) >= 6
    assert count(ExchangeRate) >= 6


def test_seed_demo_prints_an_admin_sign_in_that_works_in_the_login_form(runner, client):
    email, password = _sign_in_line(_seed(runner).output)
    assert user(email).role is Role.ADMIN

    response = log_in(client, email, password)
    assert response.status_code == 302
    assert response.location == "/"
    assert client.get("/users/").status_code == 200
    page = client.get("/investors/?origin=foreign").get_data(as_text=True)
    assert "Boston Tumor Ventures" in page
    assert "Fjordkapital Vekst" not in page
    page = client.get("/investors/?origin=norwegian").get_data(as_text=True)
    assert "Fjordkapital Vekst" in page
    assert "Boston Tumor Ventures" not in page


def test_seed_demo_a_second_time_fails_and_creates_nothing_more(runner, client):
    email, password = _sign_in_line(_seed(runner).output)
    before = {model: count(model) for model in (User, Investor, Startup, Contact, Meeting)}

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "already has data" in result.output
    assert "Sign in as" not in result.output
    assert {model: count(model) for model in before} == before
    assert log_in(client, email, password).status_code == 302  # the first password still works


def test_seed_demo_refuses_a_database_that_only_has_a_user(runner):
    first = runner.invoke(args=["create-user", "ola@example.com", "--role", "admin", "--password-stdin"],
                          input=GOOD_PASSWORD + "\n")
    assert first.exit_code == 0, first.output
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "already has data" in result.output
    assert count(Investor) == 0 and count(User) == 1
