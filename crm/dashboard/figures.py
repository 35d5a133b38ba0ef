"""The dashboard's figures as titled tables: the page draws each as a chart and a table, the CSV lists them."""
import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from crm.common.formatting import date_local, money
from crm.common.money import NokTotal
from crm.dashboard.charts import BarChart, ColumnChart, bar_chart, column_chart
from crm.dashboard.queries import Dashboard


@dataclass
class Column:
    label: str
    kind: str = "text"  # text, count, nok, percent, days, month


@dataclass
class Section:
    key: str
    title: str
    note: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    chart: BarChart | ColumnChart | None = None


def show(value, kind: str) -> str:
    """A cell as the page shows it (the CSV writes the plain value)."""
    if value is None:
        return "—"
    if kind == "count":
        return format_decimal(value)
    if kind == "nok":
        return money(value.nok, "NOK")
    if kind == "percent":
        return format_decimal(value, format="#,##0.0") + " %"
    if kind == "days":
        return format_decimal(value, format="#,##0.0")
    if kind == "month":
        return format_date(value, "MMM yyyy")
    return str(value)


def _nok_text(total: NokTotal) -> str:
    extra = "".join(" + " + money(amount, currency) for currency, amount in total.apart_items)
    return money(total.nok, "NOK") + extra


def key_figures(d: Dashboard) -> list[tuple[str, str, object, str]]:
    """(key, label, value, kind) of the figures shown as tiles at the top."""
    c = d.commitments
    return [
        ("investors", _l("Investors"), d.overview.investors, "count"),
        ("foreign_investors", _l("Foreign investors"), d.overview.foreign_investors, "count"),
        ("incubatees", _l("Incubatees"), d.overview.incubatees, "count"),
        ("meetings_30_days", _l("Meetings in the last 30 days"), d.overview.meetings_30_days, "count"),
        ("foreign_met", _l("Foreign investors met in the period"), d.foreign_investors_met, "count"),
        ("committed", _l("Capital committed in the period"), c.total, "nok"),
        ("brokered", _l("Brokered capital in the period"), c.brokered, "nok"),
        ("stale", _l("Stale deals"), d.stale.total, "count"),
        ("due", _l("Follow-ups due in the next 14 days"), d.due.total, "count"),
        ("overdue", _l("Overdue follow-ups"), d.overdue.total, "count"),
        ("quiet", _l("Incubatees with no investor meeting in 60 days"), d.quiet.total, "count"),
    ]


def sections(d: Dashboard) -> list[Section]:
    """Every chart of the dashboard with the table of its figures."""
    first, last = date_local(d.period.first), date_local(d.period.last)
    c = d.commitments
    open_rows = [[t.stage.label, t.count, t.expected] for t in d.open_by_stage]
    total = d.open_total
    funnel_rows = [[s.stage.label, s.reached, s.share] for s in d.funnel]
    time_rows = [[t.stage.label, t.median_days, t.stays] for t in d.stage_times]
    month_rows = [[m.month, m.norwegian, m.foreign] for m in d.months]
    origin_rows = [[_l("Norwegian investors"), c.norwegian], [_l("Foreign investors"), c.foreign],
                   [_l("All investors"), c.total]]
    brokered_rows = [[_l("After a logged meeting (brokered)"), c.brokered],
                     [_l("No meeting logged before"), c.unbrokered], [_l("All commitments"), c.total]]
    startup_rows = [[startup.name, amount] for startup, amount in c.per_startup]
    return [
        Section("open", _l("Open deals by stage"), _l("All open deals now, expected amounts in NOK at today's rates."),
                [Column(_l("Stage")), Column(_l("Deals"), "count"), Column(_l("Expected amount"), "nok")],
                open_rows + [[_l("All open deals"), total.count, total.expected]],
                bar_chart([(str(r[0]), r[1], f"{format_decimal(r[1])} · {_nok_text(r[2])}") for r in open_rows])),
        Section("funnel", _l("Conversion funnel"),
                _l("Of the %(n)s deals created from %(first)s to %(last)s, how many have reached each stage.",
                   n=d.created, first=first, last=last),
                [Column(_l("Stage")), Column(_l("Deals"), "count"), Column(_l("Share"), "percent")], funnel_rows,
                bar_chart([(str(r[0]), r[2], f"{show(r[2], 'percent')} ({format_decimal(r[1])})")
                           for r in funnel_rows])),
        Section("stage_times", _l("Median days in each stage"),
                _l("Over the stays in a stage that ended from %(first)s to %(last)s.", first=first, last=last),
                [Column(_l("Stage")), Column(_l("Median days"), "days"), Column(_l("Stays"), "count")], time_rows,
                bar_chart([(str(r[0]), r[1], show(r[1], "days")) for r in time_rows])),
        Section("months", _l("Meetings per month"),
                _l("Meetings held, in the 12 months to %(month)s. A meeting with Norwegian and foreign investors "
                   "counts on both sides.", month=show(d.months[-1].month, "month")),
                [Column(_l("Month"), "month"), Column(_l("With Norwegian investors"), "count"),
                 Column(_l("With foreign investors"), "count")], month_rows,
                column_chart([format_date(m, "MMM yy") for m, _n, _f in month_rows],
                             [(str(_l("Norwegian")), [r[1] for r in month_rows]),
                              (str(_l("Foreign")), [r[2] for r in month_rows])])),
        Section("committed", _l("Capital committed, Norwegian and foreign"),
                _l("Deals committed from %(first)s to %(last)s, in NOK.", first=first, last=last),
                [Column(_l("Investors")), Column(_l("Committed"), "nok")], origin_rows,
                bar_chart([(str(r[0]), r[1].nok, _nok_text(r[1])) for r in origin_rows])),
        Section("brokered", _l("Brokered capital"),
                _l("Committed capital where a meeting between the startup and the investor was logged before "
                   "the commitment: what the cluster's own work led to."),
                [Column(_l("Commitments")), Column(_l("Committed"), "nok")], brokered_rows,
                bar_chart([(str(r[0]), r[1].nok, _nok_text(r[1])) for r in brokered_rows])),
        Section("per_startup", _l("Capital committed per startup"),
                _l("Deals committed from %(first)s to %(last)s, in NOK.", first=first, last=last),
                [Column(_l("Startup")), Column(_l("Committed"), "nok")], startup_rows,
                bar_chart([(r[0], r[1].nok, _nok_text(r[1])) for r in startup_rows]) if startup_rows else None),
    ]


def _plain(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if kind == "month":
        return value.strftime("%Y-%m")
    return str(value)


def _safe(text: str) -> str:
    # A cell that starts like a formula would run as one in a spreadsheet: keep it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(d: Dashboard) -> str:
    """The figures as CSV, one value a line: section, row, measure, value, unit."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # The header and the "period" lines are keys for spreadsheets and scripts: not translated.
    writer.writerow(["section", "row", "measure", "value", "unit"])
    writer.writerow(["period", "", "from..to", f"{d.period.first.isoformat()}..{d.period.last.isoformat()}", ""])
    writer.writerow(["period", "", "exchange rates of", d.rates_day.isoformat(), ""])
    writer.writerow(["period", "", "open deals at the exchange rates of", d.today.isoformat(), ""])
    if d.period.event_id is not None:  # the figures are one event's: say which, by id
        writer.writerow(["period", "", "event", str(d.period.event_id), ""])
    no_rate = str(_l("(no exchange rate)"))
    units = {"percent": "%", "days": str(_l("days"))}

    def write(section: str, row: str, measure: str, value, kind: str) -> None:
        if kind != "nok":
            writer.writerow([section, _safe(row), measure, _plain(value, kind), units.get(kind, "")])
            return
        writer.writerow([section, _safe(row), measure, format(value.nok, "f"), "NOK"])
        for currency, amount in value.apart_items:
            writer.writerow([section, _safe(row), f"{measure} {no_rate}".strip(), format(amount, "f"), currency])

    for _key, label, value, kind in key_figures(d):
        write(str(_l("Key figures")), str(label), "", value, kind)
    for section in sections(d):
        for row in section.rows:
            label = _plain(row[0], section.columns[0].kind)
            for column, value in zip(section.columns[1:], row[1:]):
                write(str(section.title), label, str(column.label), value, column.kind)
    return out.getvalue()
