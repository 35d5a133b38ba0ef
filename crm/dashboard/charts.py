"""The geometry of the dashboard's SVG charts, worked out here so that the templates only draw."""
from dataclasses import dataclass, field
from decimal import Decimal

WIDTH = 640


@dataclass
class Bar:
    label: str
    text: str
    y: int
    width: float


@dataclass
class BarChart:
    """Horizontal bars, one a row: a label on the left, the bar, and its value as text."""

    bars: list[Bar]
    kind: str = "bars"
    width: int = WIDTH
    label_width: int = 200
    bar_area: int = 300
    row_height: int = 30
    bar_height: int = 20

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * self.row_height + 10


def bar_chart(items: list[tuple[str, Decimal | int | float | None, str]]) -> BarChart:
    """Bars for (label, value, text) rows, scaled to the largest value; a missing value draws no bar."""
    largest = max((float(value) for _label, value, _text in items if value), default=0.0)
    chart = BarChart(bars=[])
    for index, (label, value, text) in enumerate(items):
        width = chart.bar_area * float(value) / largest if value and largest else 0.0
        chart.bars.append(Bar(label, text, 5 + index * chart.row_height, round(width, 1)))
    return chart


@dataclass
class Column:
    series: int
    value: int
    x: float
    y: float
    height: float


@dataclass
class ColumnGroup:
    label: str
    x: float
    columns: list[Column] = field(default_factory=list)


@dataclass
class ColumnChart:
    """Vertical columns in groups (one per month), one column per series, with a legend."""

    groups: list[ColumnGroup]
    series: list[str]
    largest: int
    kind: str = "columns"
    width: int = WIDTH
    height: int = 240
    top: int = 30
    plot_height: int = 170
    left: int = 30
    column_width: float = 0.0

    @property
    def baseline(self) -> int:
        return self.top + self.plot_height


def column_chart(labels: list[str], series: list[tuple[str, list[int]]]) -> ColumnChart:
    """Grouped columns for each label, one per series, scaled to the largest value."""
    largest = max((value for _name, values in series for value in values), default=0)
    chart = ColumnChart(groups=[], series=[name for name, _values in series], largest=largest)
    slot = (chart.width - chart.left) / max(1, len(labels))
    chart.column_width = round(slot * 0.8 / max(1, len(series)), 1)
    for index, label in enumerate(labels):
        group = ColumnGroup(label, round(chart.left + index * slot, 1))
        for number, (_name, values) in enumerate(series):
            height = chart.plot_height * values[index] / largest if largest else 0.0
            x = round(group.x + slot * 0.1 + number * chart.column_width, 1)
            group.columns.append(Column(number, values[index], x, round(chart.baseline - height, 1), round(height, 1)))
        chart.groups.append(group)
    return chart
