"""The lexical check a query passes before any parser sees it (api/sparql_guard.py): its form, its FROM
graphs, and the refusals (updates, SERVICE, deep nesting) that must not be fooled by strings, IRIs or comments."""

from __future__ import annotations

import pytest

from api.sparql_guard import MAX_DEPTH, QUERY_FORMS, UPDATE_WORDS, Refused, inspect
from queries.registry import QUERIES_DIR


def refusal(text: str, **kwargs: int) -> Refused:
    with pytest.raises(Refused) as caught:
        inspect(text, **kwargs)
    return caught.value


# -- forms -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("select ?s where { ?s ?p ?o }", "SELECT"),
    ("ASK { ?s ?p ?o }", "ASK"),
    ("Construct { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("DESCRIBE <http://example.org/x>", "DESCRIBE"),
    ("PREFIX ex: <http://example.org/>\nBASE <http://example.org/>\nASK { ex:a ?p ?o }", "ASK"),
    ("# SELECT in a comment\nASK {}", "ASK"),
    ("PREFIX select: <http://example.org/s#> ASK { select:x ?p ?o }", "ASK"),  # a prefix is no keyword
    ("ASK { { SELECT ?s WHERE { ?s ?p ?o } } }", "ASK"),  # the first form word is the query's
    ("CONSTRUCT { ?s ?p ?o } WHERE { { SELECT ?s ?p ?o WHERE { ?s ?p ?o } } }", "CONSTRUCT"),
])
def test_the_form_is_the_first_query_keyword(text: str, form: str) -> None:
    shape = inspect(text)
    assert shape.form == form
    assert not shape.has_from and shape.from_graphs == [] and shape.from_named == []


@pytest.mark.parametrize("text", ["", "   ", "# only a comment", "PREFIX ex: <http://example.org/>",
                                  "{ ?s ?p ?o }", "'SELECT'", "<http://example.org/SELECT>", "?select"])
def test_text_without_a_query_form_is_refused_400(text: str) -> None:
    refused = refusal(text)
    assert refused.status == 400
    assert "SELECT, ASK, CONSTRUCT or DESCRIBE" in str(refused)


def test_every_named_query_passes() -> None:
    """The queries the project ships (deepest nesting 6) are real queries the guard must let through."""
    files = sorted(QUERIES_DIR.rglob("*.rq"))
    assert len(files) > 10
    for path in files:
        assert inspect(path.read_text(encoding="utf-8")).form in QUERY_FORMS, path


# -- FROM / FROM NAMED -----------------------------------------------------------------------------
def test_from_graphs_are_collected_in_order() -> None:
    shape = inspect("SELECT * FROM <http://example.org/a> FROM NAMED <http://example.org/b>\n"
                    "from <http://example.org/c> from named <http://example.org/d> WHERE { ?s ?p ?o }")
    assert shape.has_from
    assert shape.from_graphs == ["http://example.org/a", "http://example.org/c"]
    assert shape.from_named == ["http://example.org/b", "http://example.org/d"]


def test_prefixed_from_graphs_are_expanded_with_the_query_prefixes() -> None:
    shape = inspect("PREFIX g: <http://example.org/graph/source/>\nPREFIX : <http://example.org/default/>\n"
                    "PREFIX gn:<http://example.org/named/>\n"  # no space between the name and the IRI
                    "SELECT * FROM g:members FROM :d FROM NAMED gn:x FROM <http://example.org/iri>\n"
                    "WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert shape.from_graphs == ["http://example.org/graph/source/members", "http://example.org/default/d",
                                 "http://example.org/iri"]
    assert shape.from_named == ["http://example.org/named/x"]


def test_from_named_only_still_counts_as_from() -> None:
    shape = inspect("SELECT * FROM NAMED <http://example.org/n> WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert shape.has_from
    assert shape.from_graphs == []
    assert shape.from_named == ["http://example.org/n"]


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s <http://example.org/from> ?o }",  # FROM in an IRI
    "SELECT * WHERE { ?s ?p 'FROM <http://example.org/g>' }",  # in a string
    "# FROM <http://example.org/g>\nSELECT * WHERE { ?s ?p ?o }",  # in a comment
    "PREFIX from: <http://example.org/f#> SELECT * WHERE { ?s from:x ?o }",  # a prefix named from
    "SELECT ?from WHERE { ?s ?p ?from }",  # a variable named from
])
def test_from_elsewhere_than_a_dataset_clause_is_no_from(text: str) -> None:
    shape = inspect(text)
    assert not shape.has_from
    assert shape.from_graphs == [] and shape.from_named == []


def test_relative_from_iris_are_resolved_against_base() -> None:
    shape = inspect("BASE <http://example.org/> SELECT * FROM <graph/source/members> WHERE { ?s ?p ?o }")
    assert shape.from_graphs == ["http://example.org/graph/source/members"]


# -- updates ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "word"), [
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> 'c' }", "INSERT"),
    ("DELETE DATA { <http://example.org/a> <http://example.org/b> 'c' }", "DELETE"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("PREFIX ex: <http://example.org/>\nDELETE { ?s ?p ?o } INSERT { ?s ?p 'x' } WHERE { ?s ?p ?o }", "DELETE"),
    ("WITH <http://example.org/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("LOAD SILENT <http://example.org/data.ttl> INTO GRAPH <http://example.org/g>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("CLEAR GRAPH <http://example.org/g>", "CLEAR"),
    ("DROP ALL", "DROP"),
    ("DROP SILENT GRAPH <http://example.org/g>", "DROP"),
    ("CREATE GRAPH <http://example.org/g>", "CREATE"),
    ("ADD DEFAULT TO <http://example.org/g>", "ADD"),
    ("MOVE <http://example.org/a> TO <http://example.org/b>", "MOVE"),
    ("COPY <http://example.org/a> TO DEFAULT", "COPY"),
    ("drop all", "DROP"),
    ("SELECT * WHERE { ?s ?p ?o } ; DROP ALL", "DROP"),  # after a query, in one request
    ("ASK {}\n# harmless?\nclear default", "CLEAR"),
])
def test_updates_are_refused_403_naming_the_word(text: str, word: str) -> None:
    refused = refusal(text)
    assert refused.status == 403
    assert word in str(refused)
    assert "read-only" in str(refused)


def test_every_update_word_is_refused() -> None:
    """The whole SPARQL 1.1 Update vocabulary, whatever it is wrapped in."""
    assert {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"} <= UPDATE_WORDS
    for word in UPDATE_WORDS:
        for text in (f"{word} <http://example.org/g>", f"{word.lower()} {{}}", f"SELECT * {{ }} {word}"):
            assert refusal(text).status == 403, text


# -- SERVICE ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . service ?endpoint { ?s ?q ?r } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { Service <http://127.0.0.1:9/> { ?s ?q ?r } } }",
    "SELECT * WHERE { ?s ?p 'x' . SERVICE <http://127.0.0.1:9/> { } }",
    "SELECT * WHERE { ?s ?p ?o } # comment\n; SERVICE",
])
def test_service_is_refused_403(text: str) -> None:
    refused = refusal(text)
    assert refused.status == 403
    assert "SERVICE" in str(refused)


@pytest.mark.parametrize("glued", ["?o.SERVICE", "'x'.SERVICE", "<http://example.org/o>.SERVICE",
                                   "1.SERVICE", "{ ?a ?b ?c }.SERVICE"])
def test_service_glued_to_a_dot_is_refused(glued: str) -> None:
    assert refusal(f"SELECT * WHERE {{ ?s ?p {glued} <http://127.0.0.1:9/sparql> {{ ?x ?y ?z }} }}").status == 403


# -- what is skipped: comments, strings, IRIs ------------------------------------------------------
@pytest.mark.parametrize("text", [
    "SELECT ?w WHERE { BIND('DROP' AS ?w) }",
    'SELECT ?w WHERE { BIND("SERVICE <http://127.0.0.1:9/> {" AS ?w) }',
    "SELECT ?w WHERE { BIND('''INSERT DATA { <a> <b> <c> }\nDROP ALL''' AS ?w) }",
    'SELECT ?w WHERE { BIND("""CLEAR\nLOAD <x> " "" SERVICE""" AS ?w) }',  # quotes inside a long string
    "SELECT ?w WHERE { BIND('it\\'s a DROP' AS ?w) }",  # an escaped quote does not end the string
    'SELECT ?w WHERE { BIND("say \\"DELETE\\" please" AS ?w) }',
    "SELECT ?w WHERE { BIND('''it''s '' DROP''' AS ?w) }",  # one or two quotes inside '''...'''
    "SELECT ?w WHERE { BIND('''ends with an escaped quote \\'''' AS ?w) }",
    "SELECT ?w WHERE { BIND('DROP'@en AS ?w) }",
    "SELECT * WHERE { ?s <http://example.org/service/drop#insert> ?o }",
    "SELECT * WHERE { ?s ?p <urn:x:SERVICE> }",
    "# DROP ALL\n# SERVICE <http://127.0.0.1:9/> {\nSELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p ?o } # ; LOAD <http://example.org/x>",
    "SELECT ?service ?drop $insert WHERE { ?service ?drop $insert }",
    "PREFIX ex: <http://example.org/> SELECT * WHERE { ex:drop ex:service ex:insert }",
    "PREFIX drop: <http://example.org/> SELECT * WHERE { drop:x drop: ?o }",
    "SELECT * WHERE { _:service ?p ?o }",
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY DESC(?s)",
])
def test_keywords_in_strings_iris_comments_and_names_are_not_refused(text: str) -> None:
    assert inspect(text).form == "SELECT"


@pytest.mark.parametrize("text", [  # each with a later delimiter that a skip running on would pair with
    "SELECT ?w WHERE { BIND('a\\\\' AS ?w) SERVICE <http://127.0.0.1:9/> {} BIND('b' AS ?v) }",  # 'a\\' ends
    'SELECT ?w WHERE { BIND("a\\\\" AS ?w) SERVICE <http://127.0.0.1:9/> {} BIND("b" AS ?v) }',
    "SELECT ?w WHERE { BIND('''a''' AS ?w) SERVICE <http://127.0.0.1:9/> {} BIND('''b''' AS ?v) }",
    'SELECT ?w WHERE { BIND("""a""" AS ?w) SERVICE <http://127.0.0.1:9/> {} BIND("""b""" AS ?v) }',
    "SELECT ?w WHERE { BIND('a' AS ?w) } # one comment line\nSERVICE <http://127.0.0.1:9/> {} # another",
    "SELECT * WHERE { ?s <http://example.org/a> ?o SERVICE <http://127.0.0.1:9/> {} }",
])
def test_a_keyword_after_a_string_comment_or_iri_still_counts(text: str) -> None:
    """Strings, comments and IRIs end where SPARQL ends them: a skip that ran on would hide what follows."""
    assert refusal(text).status == 403


def test_a_comparison_is_not_taken_for_an_iri() -> None:
    """'< ?b) ... ?c >' is two comparisons, not an IRI hiding what lies between them."""
    text = ("SELECT * WHERE { ?a ?p ?b FILTER(?a < ?b) SERVICE <http://127.0.0.1:9/> { ?c ?q ?d } "
            "FILTER(?c > ?d) }")
    assert refusal(text).status == 403
    deep = "SELECT * WHERE { ?a ?p ?b FILTER(?a < " + "(" * (MAX_DEPTH + 1) + "?b" + ")" * (MAX_DEPTH + 1) + ") }"
    assert refusal(deep).status == 400
    assert inspect("SELECT * WHERE { ?a ?p ?b FILTER(?a<?b && ?b>?a) }").form == "SELECT"


def test_brackets_inside_a_spaceless_comparison_count_for_depth() -> None:
    n = MAX_DEPTH + 1
    assert refusal("SELECT * WHERE { ?a ?p ?b FILTER(?a<" + "(" * n + "?b" + ")" * n + "&&?c>?d) }").status == 400


# -- nesting depth ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("opening", "closing"), [("{", "}"), ("(", ")"), ("[", "]")])
def test_nesting_deeper_than_the_limit_is_refused_400(opening: str, closing: str) -> None:
    def nested(levels: int) -> str:
        if opening == "{":
            return "SELECT * WHERE " + "{" * levels + " ?s ?p ?o " + "}" * levels
        return "SELECT * WHERE { ?s ?p " + opening * levels + "1" + closing * levels + " }"

    inner = MAX_DEPTH if opening == "{" else MAX_DEPTH - 1  # the WHERE brace is one level
    assert inspect(nested(inner)).form == "SELECT"
    refused = refusal(nested(inner + 1))
    assert refused.status == 400
    assert f"more than {MAX_DEPTH} levels" in str(refused)


def test_depth_counts_open_brackets_not_all_brackets() -> None:
    """Many groups side by side are shallow; mixed brackets count together."""
    wide = "SELECT * WHERE { " + "{ ?s ?p ?o } UNION " * 500 + "{ ?s ?p ?o } }"
    assert inspect(wide).form == "SELECT"
    mixed = "SELECT * WHERE { FILTER(" + "({[" * 3 + "1" + "]})" * 3 + ") }"
    assert inspect(mixed, max_depth=11).form == "SELECT"  # WHERE {, FILTER (, then 9
    assert refusal(mixed, max_depth=10).status == 400


def test_brackets_in_strings_and_comments_do_not_count_balanced_ones_in_iris_neither() -> None:
    """An IRI's brackets are counted (a spaceless comparison lexes as an IRI), so only balanced ones pass."""
    text = ("SELECT * WHERE { BIND('" + "{" * 500 + "' AS ?w) ?s <http://example.org/a(b)> ?o }\n# "
            + "(" * 500)
    assert inspect(text, max_depth=2).form == "SELECT"
