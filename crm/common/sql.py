"""SQL expressions that the databases spell differently, compiled for each."""
from sqlalchemy import Boolean, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement):
    """The days, with fractions, from the first timestamp to the second."""

    type = Float()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_postgresql(element, compiler, **kw):
    start, end = list(element.clauses)
    return (f"(EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} - {compiler.process(start, **kw)}))"
            " / 86400.0)")


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return f"(julianday({compiler.process(end, **kw)}) - julianday({compiler.process(start, **kw)}))"


class likely(FunctionElement):
    """A condition that holds for nearly every row: SQLite's ``likely()``, which tells its planner not to pick
    an index for it (without statistics it takes ``deleted_at IS NULL`` for a selective look-up, then sorts
    every live row); the bare condition elsewhere."""

    type = Boolean()
    inherit_cache = True
    name = "likely"


@compiles(likely)
def _likely(element, compiler, **kw):
    return compiler.process(list(element.clauses)[0], **kw)


@compiles(likely, "sqlite")
def _likely_sqlite(element, compiler, **kw):
    return f"likely({compiler.process(list(element.clauses)[0], **kw)})"
