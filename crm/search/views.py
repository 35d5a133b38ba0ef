"""The search page behind the navigation's search box."""
from flask import Blueprint, render_template, request

from crm.search.queries import search_everything

bp = Blueprint("search", __name__, url_prefix="/search")

PER_KIND = 10
MAX_TERM = 100  # the list pages cut their search at the same length


@bp.route("")
def index():
    """``?q=``: the first matches of each kind, each linking to its list filtered the same way."""
    term = request.args.get("q", "").replace("\x00", "").strip()[:MAX_TERM]  # a NUL only comes from a forged URL
    results = search_everything(term, PER_KIND) if term else None
    return render_template("search/index.html", term=term, results=results)
