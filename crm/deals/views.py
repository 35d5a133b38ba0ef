"""Pipeline pages: the board, the table, one deal, adding, editing, moving and deleting deals."""
from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import requires
from crm.common.forms import ActionForm
from crm.common.timeutil import local_today, utcnow
from crm.common.web import confirm_delete, id_arg, is_safe_next, page_number, save
from crm.deals import queries, services
from crm.deals.forms import AddInvestorsForm, AddStartupsForm, DealFilterForm, DealForm, MoveForm
from crm.extensions import db
from crm.investors.queries import get_investor, investor_choices
from crm.meetings.queries import meetings_between
from crm.models import BOARD_STAGES, DealStage, Role
from crm.rates.queries import rates_on
from crm.sharing.queries import recent_views
from crm.startups.queries import get_startup, startup_choices
from crm.timeline.context import record_activity
from crm.users.queries import staff_choices

bp = Blueprint("deals", __name__, url_prefix="/deals")


def _filters() -> DealFilterForm:
    return DealFilterForm(request.args, startups=startup_choices(), owners=staff_choices())


@bp.route("/")
def index():
    """The board: a column per stage with its count and NOK totals, and its newest cards."""
    lookups = queries.board_lookups(local_today())  # the menus and the rates in one statement
    filters = DealFilterForm(request.args, startups=lookups.startups, owners=lookups.owners)
    chosen = filters.to_filters()
    chosen.stage = ""  # every stage has its column
    totals = queries.stage_totals(chosen, lookups.rates)
    now = utcnow()
    columns = queries.board_cards(chosen, current_app.config["PIPELINE_CARDS"], now)
    return render_template("deals/index.html", filters=filters, totals=totals, columns=columns,
                           stages=BOARD_STAGES, stage_labels={stage: stage.label for stage in BOARD_STAGES}, now=now)


@bp.route("/table")
def table():
    """The same deals as a sortable table, one page at a time."""
    filters = _filters()
    stmt = queries.deal_table(filters.to_filters(), rates_on(local_today()))
    page = db.paginate(stmt, page=page_number(), per_page=current_app.config["PER_PAGE"], error_out=False)
    return render_template("deals/table.html", filters=filters, page=page, now=utcnow())


def _deal_form(**kwargs) -> DealForm:
    return DealForm(startups=startup_choices(), investors=investor_choices(), owners=staff_choices(), **kwargs)


@bp.route("/new", methods=["GET", "POST"])
@requires(Role.MANAGER)
def new():
    """Add a deal; ``?startup_id=`` and ``?investor_id=`` pre-fill it, with the startup's current round."""
    form = _deal_form()
    if request.method == "GET":
        form.owner_id.data = current_user.id
        form.investor_id.data = id_arg("investor_id") or 0
        startup_id = id_arg("startup_id")
        if startup_id:
            startup = get_startup(startup_id)
            form.startup_id.data = startup.id
            form.round_kind.data = startup.round_kind.value if startup.round_kind else ""
            form.currency.data = startup.round_currency
    if form.validate_on_submit():
        outcome = save(form, lambda: services.create_deal(form.to_data(), current_user))
        if outcome.ok:
            flash(_("Deal added: %(startup)s and %(investor)s.", startup=outcome.value.startup.name,
                    investor=outcome.value.investor.name), "success")
            return redirect(url_for("deals.detail", deal_id=outcome.value.id))
    return render_template("deals/form.html", form=form, deal=None)


@bp.route("/<int:deal_id>")
def detail(deal_id: int):
    """:raise 404: when there is no such deal."""
    deal = queries.get_deal(deal_id)
    form = MoveForm(formdata=None, stage=deal.stage.value, version=deal.version)
    return render_template("deals/detail.html", deal=deal, form=form, now=utcnow(),
                           meetings=meetings_between(deal.startup_id, deal.investor_id),
                           views=recent_views(startup_id=deal.startup_id, investor_id=deal.investor_id),
                           **record_activity("deal", deal_id))


@bp.route("/<int:deal_id>/edit", methods=["GET", "POST"])
@requires(Role.MANAGER)
def edit(deal_id: int):
    """:raise 404: when there is no such deal. A save over somebody else's shows a conflict."""
    deal = queries.get_deal(deal_id)
    conflict = None
    form = _deal_form(obj=services.deal_data(deal)) if request.method == "GET" else _deal_form()
    if request.method == "GET":
        form.owner_id.data = deal.owner_id or 0
        form.version.data = deal.version
    if form.validate_on_submit():
        outcome = save(form, lambda: services.update_deal(deal, form.to_data(), form.version.data, current_user),
                       record=deal)
        if outcome.ok:
            flash(_("Deal saved."), "success")
            return redirect(url_for("deals.detail", deal_id=deal.id))
        conflict = outcome.conflict
    return render_template("deals/form.html", form=form, deal=deal, conflict=conflict)


@bp.route("/<int:deal_id>/move", methods=["GET", "POST"])
@requires(Role.MANAGER)
def move(deal_id: int):
    """Move a deal to another stage; the board's and the meeting page's buttons post here.

    A move the rules refuse (passed without a reason, committed without an amount) shows
    this page with the message by the field, keeping the stage chosen. :raise 404: no such deal.
    """
    deal = queries.get_deal(deal_id)
    conflict = None
    if request.method == "GET":
        wanted = request.args.get("stage", "")
        form = MoveForm(formdata=None, stage=wanted if wanted in DealStage._value2member_map_ else deal.stage.value,
                        version=deal.version, next=request.args.get("next", ""))
    else:
        form = MoveForm()
    if form.validate_on_submit():
        outcome = save(form, lambda: services.move_deal(deal, form.to_move(), form.version.data, current_user),
                       record=deal)
        if outcome.ok:
            flash(_("%(startup)s and %(investor)s: moved to %(stage)s.", startup=deal.startup.name,
                    investor=deal.investor.name, stage=deal.stage.label), "success")
            done = url_for("deals.detail", deal_id=deal.id)
            return redirect(form.next.data if is_safe_next(form.next.data) else done)
        conflict = outcome.conflict
    return render_template("deals/move.html", deal=deal, form=form, conflict=conflict)


@bp.route("/<int:deal_id>/delete", methods=["GET", "POST"])
@requires(Role.MANAGER)
def delete(deal_id: int):
    """GET asks for confirmation; POST deletes. :raise 404: when there is no such deal."""
    deal = queries.get_deal(deal_id)
    return confirm_delete(
        ActionForm(), title=_("Delete deal"),
        question=_("Delete the deal between %(startup)s and %(investor)s, with its history of %(n)s stage changes?",
                   startup=deal.startup.name, investor=deal.investor.name, n=len(deal.changes)),
        cancel_url=url_for("deals.detail", deal_id=deal.id),
        delete=lambda: services.delete_deal(deal, current_user),
        done_url=url_for("deals.index"), done_message=_("Deal deleted."))


def _bulk_add(form, picker, add, back_url: str, **context):
    """A bulk add's page: the choices, or (once chosen) the deals added and the way back."""
    if form.validate_on_submit():
        outcome = save(form, lambda: add(picker.data))
        if outcome.ok:
            flash(_("%(n)s deals added to the pipeline as identified.", n=len(outcome.value.created)), "success")
            if outcome.value.skipped:
                flash(_("Already in the pipeline for this round, so left as they were: %(names)s.",
                        names=", ".join(outcome.value.skipped)), "info")
            return redirect(back_url)
    return render_template("deals/add.html", form=form, picker=picker, cancel_url=back_url, **context)


@bp.route("/startup/<int:startup_id>/add", methods=["GET", "POST"])
@requires(Role.MANAGER)
def add_investors(startup_id: int):
    """Put investors in the pipeline of the startup's current round. :raise 404: no such startup."""
    startup = get_startup(startup_id)
    choices = queries.investors_outside_round(startup) if startup.round_kind else []
    form = AddInvestorsForm()
    form.investor_ids.choices = [(i, name + (" · " + _("Foreign") if foreign else "")) for i, name, foreign in choices]
    return _bulk_add(form, form.investor_ids, lambda ids: services.add_investors_to_round(startup, ids, current_user),
                     url_for("startups.detail", startup_id=startup.id), startup=startup, investor=None)


@bp.route("/investor/<int:investor_id>/add", methods=["GET", "POST"])
@requires(Role.MANAGER)
def add_startups(investor_id: int):
    """Put an investor in the pipelines of startups' current rounds. :raise 404: no such investor."""
    investor = get_investor(investor_id)
    form = AddStartupsForm()
    form.startup_ids.choices = [(i, f"{name} · {round_kind.label}")
                                for i, name, round_kind in queries.startups_open_for(investor)]
    return _bulk_add(form, form.startup_ids,
                     lambda ids: services.add_startups_for_investor(investor, ids, current_user),
                     url_for("investors.detail", investor_id=investor.id), startup=None, investor=investor)
