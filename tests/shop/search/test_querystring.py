"""The query strings haystack and Oscar hand the PostgreSQL backend, parsed."""

import pytest

from shop.search.backends.querystring import And, MatchAll, Not, Or, QuerySyntaxError, Range, Term, parse


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("*", MatchAll()),
        ("teapot", Term(None, "teapot")),
        ("(red teapot)", And((Term(None, "red"), Term(None, "teapot")))),
        ('"ceramic teapot"', Term(None, "ceramic teapot", "phrase")),
        (
            "tea* *pot* teapt~ teapt~2/3",
            And(
                (
                    Term(None, "tea", "prefix"),
                    Term(None, "pot", "contains"),
                    Term(None, "teapt", "fuzzy"),
                    Term(None, "teapt", "fuzzy"),
                )
            ),
        ),
        ("a OR b c", Or((Term(None, "a"), And((Term(None, "b"), Term(None, "c")))))),
        ("NOT a -b", And((Not(Term(None, "a")), Not(Term(None, "b"))))),
        # haystack's filter_and(is_public="true", structure__in=[...]), as PostgresSearchQuery writes it
        (
            '(is_public:(true) AND structure:("standalone" OR "parent"))',
            And(
                (
                    Term("is_public", "true"),
                    Or((Term("structure", "standalone", "phrase"), Term("structure", "parent", "phrase"))),
                )
            ),
        ),
        # Oscar's field facet and query facet narrows
        (
            'category_name:("Home > Kitchen" OR "Electronics > Audio")',
            Or(
                (
                    Term("category_name", "Home > Kitchen", "phrase"),
                    Term("category_name", "Electronics > Audio", "phrase"),
                )
            ),
        ),
        ("price:([0 TO 20] OR [60 TO *])", Or((Range("price", "0", "20"), Range("price", "60", None)))),
        ("rating:{3 TO 5]", Range("rating", "3", "5", include_low=False)),
        ('date_created:["2024-01-01T00:00:00+00:00" TO *]', Range("date_created", "2024-01-01T00:00:00+00:00", None)),
        # haystack's clean() escapes reserved characters with a backslash
        (
            r"C\+\+ teapot\: \(four\) e-mail",
            And((Term(None, "C++"), Term(None, "teapot:"), Term(None, "(four)"), Term(None, "e-mail"))),
        ),
        (r'"say \"hi\""', Term(None, 'say "hi"', "phrase")),
        ("teapot^2", Term(None, "teapot")),
        ("(NOT *)", Not(MatchAll())),
    ],
)
def test_parse(query, tree):
    assert parse(query) == tree


@pytest.mark.parametrize("query", ["(teapot", '"open', "price:[1 TO", "[1 TO 2]", "a OR", ")"])
def test_syntax_errors(query):
    with pytest.raises(QuerySyntaxError):
        parse(query)
