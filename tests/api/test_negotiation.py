"""Content negotiation (api/negotiation.py): which of our formats an Accept header asks for (RFC 9110, 12.5.1)."""

from __future__ import annotations

import pytest

from api.negotiation import negotiate

JSON, XML, CSV, TSV = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                       "text/tab-separated-values")
RESULTS = [JSON, XML, CSV, TSV]
TURTLE, NTRIPLES = "text/turtle", "application/n-triples"


@pytest.mark.parametrize("accept", [None, "", "   "])
def test_no_accept_header_takes_our_first_offer(accept: str | None) -> None:
    assert negotiate(accept, RESULTS) == JSON
    assert negotiate(accept, [CSV, JSON]) == CSV


@pytest.mark.parametrize(("accept", "chosen"), [
    (CSV, CSV),
    (TSV, TSV),
    ("TEXT/CSV", CSV),  # media types are case-insensitive
    (f"{CSV};charset=utf-8", CSV),  # parameters other than q do not stop a match
    (f"{JSON};q=0.5, {CSV}", CSV),  # q defaults to 1
    (f"{CSV};q=0.2, {XML};q=0.9", XML),
    (f"{CSV} ; q=0.2 , {XML} ; q=0.9", XML),  # spaces around ';' and ','
    (f"{XML};q=0.5, {TSV};q=0.5", XML),  # a tie goes to our order
    (f"{TSV};q=0.5, {XML};q=0.5", XML),
    ("image/png, */*;q=0.1", JSON),
    (f"*/*;q=0.1, {TSV}", TSV),
])
def test_the_preferred_offer_is_chosen(accept: str, chosen: str) -> None:
    assert negotiate(accept, RESULTS) == chosen


@pytest.mark.parametrize(("accept", "chosen"), [
    ("text/*", CSV),  # both text/ offers match; our order breaks the tie
    ("text/*;q=0.5, application/*;q=0.4", CSV),
    ("text/*;q=0.4, application/*;q=0.5", JSON),
    ("application/*", JSON),
    ("*/*", JSON),
])
def test_wildcards_match_every_offer_of_their_range(accept: str, chosen: str) -> None:
    assert negotiate(accept, RESULTS) == chosen


@pytest.mark.parametrize(("accept", "chosen"), [
    (f"text/*, {CSV};q=0", TSV),  # CSV refused by name although text/* would take it
    (f"{CSV};q=0, text/*", TSV),  # the order of the ranges does not matter
    (f"*/*, {JSON};q=0", XML),
    (f"*/*;q=0.9, text/*;q=0.1, {TSV}", TSV),
    ("*/*;q=0.9, text/*;q=0.1", JSON),  # application/ offers at 0.9 beat text/ ones at 0.1
    (f"text/*;q=0.1, {CSV};q=0.8, */*;q=0.5", CSV),
])
def test_the_most_specific_range_decides(accept: str, chosen: str) -> None:
    assert negotiate(accept, RESULTS) == chosen


@pytest.mark.parametrize("accept", [
    "image/png",
    "text/html",
    f"{CSV};q=0",
    "*/*;q=0",
    "text/*;q=0, application/*;q=0",
    f"{JSON};q=zero",  # an unreadable q counts as 0
])
def test_nothing_acceptable_is_none(accept: str) -> None:
    assert negotiate(accept, RESULTS) is None


def test_rdf_offers_for_a_graph_answer() -> None:
    offers = [TURTLE, NTRIPLES, "application/ld+json", "application/rdf+xml"]
    assert negotiate(None, offers) == TURTLE
    assert negotiate("application/ld+json, text/turtle;q=0.8", offers) == "application/ld+json"
    assert negotiate(JSON, offers) is None  # a graph cannot answer as SPARQL results
    # a browser's Accept: text/html wins over */* ... when HTML is on offer, and the first RDF format otherwise
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert negotiate(browser, [*offers, "text/html"]) == "text/html"
    assert negotiate(browser, offers) == TURTLE
