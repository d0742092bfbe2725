"""`ecokg load events|adoption`, `ecokg outreach` and `ecokg path` through events, run as a user would on the
hand-made programme of tests/data/events (its README works out every answer below)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from cli_support import cli_on, run

DATA = Path(__file__).resolve().parents[1] / "data" / "events"
ORG = "http://example.org/id/org/be-"


def test_load_the_programme_then_ask_whom_to_invite(tmp_path: Path) -> None:
    with cli_on(tmp_path / "store") as runner:
        run(runner, "load", "members", str(DATA / "members.csv"))
        for pole, prefix in (("logistics-in-wallonia", "liw"), ("wagralim", "wagralim"), ("mecatech", "mecatech")):
            run(runner, "load", "poles", *map(str, sorted(DATA.glob(f"{prefix}-*.csv"))), "--pole", pole)
        output = run(runner, "load", "events", str(DATA / "events.csv"), str(DATA / "attendance.csv"))
        assert "source 'events' v1 (restricted): 23 rows" in output
        assert "linked: 1 alias IRI(s)" in output  # "Transports Mosans", 4020, is the LIW member
        output = run(runner, "load", "adoption", str(DATA / "adoption.csv"))
        assert "source 'adoption' v1 (restricted): 4 rows" in output

        rows = list(csv.DictReader(io.StringIO(run(runner, "outreach", "e-invoicing", "--format", "csv"))))
        assert [(r["rank"], r["label"], r["reason"], r["events"], r["introduction"]) for r in rows] == [
            ("1", "Transports Mosans", "declares a need for e-invoicing", "2",
             "Facturo SRL, participates_in Facturation connectée des transporteurs, participates_in Transports Mosans"),
            ("2", "Ateliers Sambre SA", "declares a need for e-invoicing", "0", ""),
            ("3", "Conserverie Hesbaye SA", "no known use of e-invoicing", "1",
             "Webotec SRL, participates_in Chaîne numérique des artisans, participates_in Conserverie Hesbaye SA"),
            ("4", "Fromagerie des Prés SA", "no known use of e-invoicing", "3",
             "Webotec SRL, participates_in Vente en ligne des fromages, participates_in Fromagerie des Prés SA"),
            ("5", "Webotec SRL", "no known use of e-invoicing", "3", "cluster member: invite directly")]
        wagralim = json.loads(run(runner, "outreach", "e-invoicing", "--pole", "wagralim", "--format", "json"))
        assert [(c["label"], c["introducer"], c["path"]["length"]) for c in wagralim] == [
            ("Conserverie Hesbaye SA", ORG + "0470222247", 2), ("Fromagerie des Prés SA", ORG + "0470222247", 2)]

        def hops(*options: str) -> list[list[str]]:
            found = json.loads(run(runner, "path", "0820.333.354", "0510.222.275", "--format", "json", *options))
            return [[h["relation"] for h in p["hops"]] for p in found["paths"]]

        assert hops() == []  # Conserverie Hesbaye (W3) and Entrepôts du Centre (L2) share no project
        assert hops("--k", "1", "--relation", "participates_in", "--relation", "attends") == [
            ["participates_in", "participates_in", "attends", "attends"]]  # W3 P3 W2 EV-02 L2
        assert hops("--k", "1", "--weak") == [["member_of", "member_of"]]  # both LIW members
        assert hops("--k", "1", "--weak", "--avoid", "member_of") == [
            ["participates_in", "participates_in", "attends", "attends"]]
        run(runner, "path", "0820.333.354", "0510.222.275", "--relation", "meets", code=1)
