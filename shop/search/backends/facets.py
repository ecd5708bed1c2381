"""Facet counts over the documents a search matched (query, narrows and models applied).

Field facets count each value of a field (each element of a multi-valued one), most
frequent first; query facets count the documents matching `field:query`; date facets
count documents per gap between two dates. Missing and null values are not counted.
"""

import calendar
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import Count
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone

from .expressions import field_value
from .querystring import parse

# Every requested field counted in one pass over the matching documents: each document's JSON is read once
# (at 100,000 products, one scan per field cost about a second each). Each field's values become (field, value)
# rows, a multi-valued field's elements one row each.
FIELD_FACETS_SQL = """
SELECT facet.field, facet.value, COUNT(*) AS n
FROM ({documents}) AS doc
CROSS JOIN LATERAL ({values}) AS facet(field, value)
WHERE facet.value IS NOT NULL
GROUP BY facet.field, facet.value
ORDER BY facet.field, n DESC, facet.value
"""
FIELD_VALUES_SQL = """
SELECT %s::text, element FROM jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(doc.data -> %s) = 'array' THEN doc.data -> %s ELSE jsonb_build_array(doc.data -> %s) END
) AS element"""


def field_facets(documents, facets: dict, fields: dict) -> dict:
    """{field: [(value, count), …]} for each requested field, most frequent first (haystack's facet options
    `limit` and `mincount` are honoured)."""
    if not facets:
        return {}
    inner_sql, inner_params = documents.order_by().values("data").query.sql_with_params()
    names = list(facets)
    values_sql = " UNION ALL ".join(FIELD_VALUES_SQL for _ in names)
    values_params = [param for name in names for param in (name, name, name, name)]
    with connection.cursor() as cursor:
        cursor.execute(FIELD_FACETS_SQL.format(documents=inner_sql, values=values_sql), [*inner_params, *values_params])
        rows = cursor.fetchall()
    counts = {name: [] for name in names}
    for name, value, n in rows:
        counts[name].append((value, n))
    for name, options in facets.items():
        mincount = max(int(options.get("mincount", 1)), 1)
        limit = options.get("limit")
        limit = None if limit is None or int(limit) < 0 else int(limit)
        field = fields.get(name)
        kept = [(_facet_value(field, value), n) for value, n in counts[name] if n >= mincount]
        counts[name] = kept[:limit] if limit is not None else kept
    return counts


def query_facets(documents, queries: list, compiler_factory) -> dict:
    """{"field:query": count} for each (field, query) pair, counted in one SQL query."""
    if not queries:
        return {}
    conditions = {}
    for i, (field, query) in enumerate(queries):
        conditions[f"q{i}"] = Count("id", filter=compiler_factory().compile(parse(f"{field}:({query})")))
    totals = documents.order_by().aggregate(**conditions)
    return {f"{_unexact(field)}:{query}": totals[f"q{i}"] for i, (field, query) in enumerate(queries)}


def date_facets(documents, facets: dict, fields: dict) -> dict:
    """{field: [(bucket start, count), …]} from start_date to end_date in steps of gap_amount gap_by."""
    counts = {}
    for name, options in facets.items():
        field = fields.get(name)
        field_type = field.field_type if field else "datetime"
        gap = (options["gap_by"], options.get("gap_amount", 1))
        starts = list(_buckets(options["start_date"], options["end_date"], *gap))
        if not starts:
            counts[name] = []
            continue
        value = field_value(name, field_type)
        buckets = {}
        for i, (start, end) in enumerate(starts):
            condition = GreaterThanOrEqual(value, _as(field_type, start)) & LessThan(value, _as(field_type, end))
            buckets[f"b{i}"] = Count("id", filter=condition)
        totals = documents.order_by().aggregate(**buckets)
        counts[name] = [(start, totals[f"b{i}"]) for i, (start, _end) in enumerate(starts)]
    return counts


def _buckets(start, end, gap_by: str, amount: int):
    amount = max(int(amount), 1)
    while start < end:
        following = _step(start, gap_by, amount)
        yield start, min(following, end)
        start = following


def _step(moment, gap_by: str, amount: int):
    if gap_by in ("year", "month"):
        months = moment.month - 1 + amount * (12 if gap_by == "year" else 1)
        year, month = moment.year + months // 12, months % 12 + 1
        return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))
    return moment + timedelta(**{f"{gap_by}s": amount})


def _as(field_type: str, moment):
    if field_type == "date":
        return moment.date() if isinstance(moment, datetime) else moment
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _facet_value(field, value: str):
    """A counted value in the field's type (multi-valued fields are stored as text)."""
    if field is None or field.is_multivalued:
        return value
    if field.field_type == "boolean":
        return value == "true"
    try:
        return field.convert(value)
    except (TypeError, ValueError):
        return value


def _unexact(field: str) -> str:
    # Haystack hands the facet field ("price_exact"); Oscar looks the count up as "price:[0 TO 20]".
    return field[: -len("_exact")] if field.endswith("_exact") else field
