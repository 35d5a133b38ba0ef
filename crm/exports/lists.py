"""The five lists as the list pages filter them: query-string filters in, a statement out (exports and the API)."""
from dataclasses import dataclass
from typing import Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select
from werkzeug.datastructures import MultiDict

from crm.common.timeutil import local_today
from crm.contacts.forms import ContactFilterForm
from crm.contacts.queries import contact_list
from crm.deals.forms import DealFilterForm
from crm.deals.queries import deal_table
from crm.followups.forms import FollowUpFilterForm
from crm.followups.queries import follow_up_list
from crm.investors.forms import InvestorFilterForm
from crm.investors.queries import InvestorFilters, investor_choices, investor_list
from crm.meetings.forms import MeetingFilterForm
from crm.meetings.queries import MeetingFilters, meeting_list
from crm.rates.queries import rates_on
from crm.startups.forms import StartupFilterForm
from crm.startups.queries import StartupFilters, startup_choices, startup_list
from crm.users.queries import staff_choices


@dataclass
class FilteredList:
    """A list's statement, and the filters that made it (the values that were kept, for the audit log)."""

    stmt: Select
    filters: dict


def _kept(form) -> dict:
    """The filters that took effect: what the form kept of the query string, without blanks."""
    return {field.name: str(field.data) for field in form if field.data not in (None, "", [])}


def investors(args: MultiDict) -> FilteredList:
    """Investors as the investor list shows them."""
    form = InvestorFilterForm(args)
    stmt = investor_list(InvestorFilters(q=form.q.data, country=form.country.data, origin=form.origin.data,
                                         kind=form.kind.data, focus=form.focus.data, sort=form.sort.data))
    return FilteredList(stmt, _kept(form))


def contacts(args: MultiDict) -> FilteredList:
    """Contacts as the contact list shows them."""
    form = ContactFilterForm(args)
    return FilteredList(contact_list(form.q.data, form.sort.data), _kept(form))


def startups(args: MultiDict) -> FilteredList:
    """Startups as the startup list shows them."""
    form = StartupFilterForm(args)
    stmt = startup_list(StartupFilters(q=form.q.data, status=form.status.data, area=form.area.data,
                                       modality=form.modality.data, stage=form.stage.data, sort=form.sort.data))
    return FilteredList(stmt, _kept(form))


def meetings(args: MultiDict) -> FilteredList:
    """Meetings as the meeting list shows them (the date range in Oslo days)."""
    form = MeetingFilterForm(args, startups=startup_choices(), investors=investor_choices())
    start, end = form.utc_range()
    stmt = meeting_list(MeetingFilters(q=form.q.data, kind=form.kind.data,
                                       investor=int(form.investor.data) if form.investor.data else None,
                                       startup=int(form.startup.data) if form.startup.data else None,
                                       investor_name=form.investor_name.data, startup_name=form.startup_name.data,
                                       sort=form.sort.data), start_utc=start, end_utc=end)
    return FilteredList(stmt, _kept(form))


def deals(args: MultiDict) -> FilteredList:
    """Deals as the pipeline's table shows them."""
    form = DealFilterForm(args, startups=startup_choices(), owners=staff_choices())
    return FilteredList(deal_table(form.to_filters(), rates_on(local_today())), _kept(form))


def follow_ups(args: MultiDict) -> FilteredList:
    """Follow-ups of one person (``?user=``) or of everybody, open or done (``?status=``), soonest due first."""
    form = FollowUpFilterForm(args, staff=staff_choices())
    return FilteredList(follow_up_list(int(form.user.data) if form.user.data else None, form.status.data or None),
                        _kept(form))


LISTS: dict[str, Callable[[MultiDict], FilteredList]] = {
    "investors": investors, "contacts": contacts, "startups": startups, "meetings": meetings, "deals": deals,
    "follow-ups": follow_ups,
}

TITLES = {"investors": _l("Investors"), "contacts": _l("Contacts"), "startups": _l("Startups"),
          "meetings": _l("Meetings"), "deals": _l("Deals"), "follow-ups": _l("Follow-ups")}
