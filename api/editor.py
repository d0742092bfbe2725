"""The browser's SPARQL editor: YASGUI, vendored in api/static/yasgui (its README says from where), with
one example tab per named query and the project's prefixes preloaded.

Everything the page needs is served from here, so it works on a machine with no Internet and sends no
query text elsewhere; YASQE's two completers that ask an online vocabulary service are switched off.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.assets import CSS, JS, TEXT, Assets
from graph.config import get_settings
from ontology.iris import Minter
from queries.registry import QuerySpec, bind, load_registry

router = APIRouter()

YASGUI = Assets("yasgui", {"yasgui.min.js": JS, "yasgui.min.css": CSS, "LICENSE": TEXT})


@dataclass(frozen=True)
class EditorTab:
    """One example tab: the named query's name (the tab's label), its summary, and its SPARQL text."""

    name: str
    title: str
    query: str


@router.get("/static/yasgui/{file}", include_in_schema=False)
def static_file(file: str) -> FileResponse:
    return YASGUI.response(file)


def named_query_tabs(base: str | None = None) -> list[EditorTab]:
    """One tab per named query (those tagged `internal` left out), in the registry's order.

    The text is the query as the API runs it with no value given: its VALUES blocks written in, defaults
    bound and every other parameter UNDEF, required ones included (`registry.bind` on a copy of the spec
    with nothing required). UNDEF constrains nothing, so every tab runs as it is (a required parameter left
    UNDEF gives the answer for every value, e.g. recommendations for every project), and the user sees the
    line where a value goes. Comments above it give the summary and each parameter. `base` mints the IRIs of
    IRI defaults (the deployment's base IRI when not given).
    """
    minter = Minter(base or get_settings().base_iri)
    tabs = []
    for spec in load_registry().values():
        if "internal" in spec.tags:
            continue
        unrequired = spec.model_copy(update={"params": [p.model_copy(update={"required": False})
                                                        for p in spec.params]})
        tabs.append(EditorTab(spec.name, spec.summary, _comments(spec) + bind(unrequired, {}, minter)))
    return tabs


def _comments(spec: QuerySpec) -> str:
    lines = [spec.summary, f"Named query '{spec.name}', also at /api/v1/queries/{spec.name}."]
    if spec.params:
        lines.append("Parameters, set in the VALUES blocks below (UNDEF: not set):")
    for p in spec.params:
        traits = [f"{p.type}" + (f" ({p.kind})" if p.kind != "any" else ""), *(["required"] if p.required else []),
                  *(["several values"] if p.multi else []),
                  *([f"one of {', '.join(p.allowed)}"] if p.allowed else []),
                  *([f"default {p.default}"] if p.default is not None else [])]
        lines.append(f"- ?{p.name}: {', '.join(traits)}. {p.description}".rstrip())
    return "".join("# " + " ".join(line.split()) + "\n" for line in lines)


def with_prefixes(query: str, prefixes: dict[str, str]) -> str:
    """`query` with a PREFIX line for each of `prefixes` it uses but does not declare, after its leading
    comments: any SPARQL endpoint can then run it as it is."""
    declared = set(re.findall(r"(?im)^\s*PREFIX\s+([\w.-]*):", query))
    code = re.sub(r"#[^\n]*", "", re.sub(r"<[^<>\s]*>", "", query))  # prefixed names outside IRIs and comments
    missing = [name for name in prefixes
               if name not in declared and re.search(rf"(?<![\w:/#.-]){re.escape(name)}:", code)]
    lines = query.splitlines(keepends=True)
    head = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    declarations = "".join(f"PREFIX {name}: <{prefixes[name]}>\n" for name in missing)
    return "".join(lines[:head]) + declarations + "".join(lines[head:])


def editor_page(endpoint: str, tabs: list[EditorTab], prefixes: dict[str, str]) -> str:
    """The editor's HTML page: YASGUI sending its queries to `endpoint` (POST), `tabs` as its first tabs.

    YASGUI keeps the user's tabs in localStorage. They are kept under a key made from this page's tabs,
    endpoint and prefixes: a user's edits survive a reload, and a new or changed named query brings a
    fresh set of tabs instead of being hidden behind stale ones.
    """
    example = "".join(f"PREFIX {n}: <{iri}>\n" for n, iri in prefixes.items())
    config = {
        "endpoint": endpoint,
        "prefixes": prefixes,
        "tabs": [{"name": t.name, "query": with_prefixes(t.query, prefixes)} for t in tabs],
        "newTab": example + "\nSELECT ?s ?p ?o\nWHERE {\n  ?s ?p ?o\n}\nLIMIT 10\n",
    }
    key = hashlib.sha256(json.dumps(config, sort_keys=True).encode()).hexdigest()[:16]
    config["persistenceId"] = f"ecokg-{key}"
    return _PAGE.format(css=YASGUI.url("yasgui.min.css"), js=YASGUI.url("yasgui.min.js"),
                        config=_script_json(config), count=len(tabs))


def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' to end it or open a comment."""
    return (json.dumps(value, ensure_ascii=False)
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ecokg — SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<link rel="stylesheet" href="{css}">
<style>body{{margin:0;font-family:system-ui,sans-serif}}header{{padding:.5rem 1rem;border-bottom:1px solid #ddd}}
header a{{color:inherit}}main{{padding:0 1rem}}</style></head>
<body><header><a href="/"><strong>ecokg</strong></a> · SPARQL editor — {count} named queries as example tabs,
read-only · <a href="/api/v1/queries">named queries API</a> · <a href="/docs">API docs</a></header>
<main id="yasgui"></main>
<script src="{js}"></script>
<script type="application/json" id="editor-config">{config}</script>
<script>
(() => {{
  const config = JSON.parse(document.getElementById("editor-config").textContent);
  const endpoint = new URL(config.endpoint, window.location.href).href;
  // "property" and "class" ask an online vocabulary service as one types: keep the offline completers only,
  // and have "prefixes" declare ours (its own list maps eco: and others to unrelated namespaces)
  const completers = Yasgui.Yasqe.defaults.autocompleters;
  completers.splice(0, completers.length, ...completers.filter((name) => name === "prefixes" || name === "variables"));
  const yasgui = new Yasgui(document.getElementById("yasgui"), {{
    persistenceId: config.persistenceId,
    autoAddOnInit: false,
    copyEndpointOnNewTab: false,
    requestConfig: {{endpoint: endpoint, method: "POST"}},
    endpointCatalogueOptions: {{getData: () => [{{endpoint: endpoint}}]}},
    yasqe: {{value: config.newTab,
             prefixCcApi: "data:application/json," + encodeURIComponent(JSON.stringify(config.prefixes))}},
    yasr: {{prefixes: config.prefixes}},
  }});
  if (yasgui.persistentConfig.getTabs().length === 0) {{
    config.tabs.forEach((tab, i) => yasgui.addTab(i === 0, {{name: tab.name, yasqe: {{value: tab.query}}}}));
    if (config.tabs.length === 0) yasgui.addTab(true);
  }}
  window.yasgui = yasgui;
}})();
</script>
</body></html>
"""
