"""Reading the pipeline and dashboard pages as a person sees them, and counting the statements a page runs."""
import html
import re
from html.parser import HTMLParser

from sqlalchemy import event

from crm.extensions import db
from crm.models import Deal, DealStage


def plain(text: str) -> str:
    """Text with entities decoded, tags dropped and every run of spaces (no-break ones too) made one space."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.sub(r"\s+", " ", text.replace("\xa0", " ").replace("\u202f", " ")).strip()


def _between(response, start_marker: str, end_marker: str) -> str:
    page = response.get_data(as_text=True)
    start = page.index(start_marker)
    return page[start:page.index(end_marker, start)]


class _TableReader(HTMLParser):
    """The cell texts of one table, row by row."""

    def __init__(self, table_id: str):
        super().__init__()
        self.table_id, self.inside, self.rows, self.cell = table_id, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(plain(self.cell))
            self.cell = None


def table(response, table_id: str) -> list[list[str]]:
    """The body rows of the table ``table_id`` (the header row left out)."""
    reader = _TableReader(table_id)
    reader.feed(response.get_data(as_text=True))
    assert reader.rows, f"no table {table_id!r} on the page"
    return reader.rows[1:]


def section(response, element_id: str) -> str:
    """The text of the <section> with this id."""
    return plain(_between(response, f'id="{element_id}"', "</section>").split(">", 1)[1])


def tile(response, key: str) -> str:
    """The text of one of the dashboard's key-figure tiles: the figure, then its label."""
    return plain(_between(response, f'id="tile-{key}"', "</a>").split(">", 1)[1])


def column(response, stage: DealStage) -> tuple[int, str, str | None, list[int]]:
    """(count, expected total, committed total or None, deal ids of the cards) of one column of the board."""
    part = _between(response, f'id="column-{stage.value}"', "</section>")
    count = int(re.search(r'column-count">(\d+)<', part).group(1))
    expected = plain(re.search(r'column-expected">Expected: (.*?)</div>', part, re.S).group(1))
    committed = re.search(r'column-committed">Committed: (.*?)</div>', part, re.S)
    cards = [int(i) for i in re.findall(r'id="deal-(\d+)"', part)]
    return count, expected, plain(committed.group(1)) if committed else None, cards


def card(response, deal: Deal) -> str:
    """The text of a deal's card on the board."""
    return plain(_between(response, f'id="deal-{deal.id}"', "</article>").split(">", 1)[1])


class StatementCounter:
    """Counts the SQL statements sent to the database while it is open."""

    def __init__(self):
        self.count = 0

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._count)

    def _count(self, *args):
        self.count += 1


def statements(client, url, **query) -> int:
    """How many statements a GET of ``url`` runs."""
    with StatementCounter() as counter:
        assert client.get(url, query_string=query).status_code == 200
    return counter.count
