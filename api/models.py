"""The JSON the /api/v1 analyses answer with: pydantic models, so that OpenAPI documents every field.

Field names are those of the named queries' columns and of the `to_json` of queries.paths and
queries.recommend, so that rows validate as they come; each model carries an example for /docs.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from queries.registry import Param

EX = "http://127.0.0.1:8000/id/"
TECH = "https://w3id.org/ecokg/tech/"

Relation = Literal["attends", "labelled_by", "member_of", "participates_in", "unit_of"]
"""The relations a collaboration path walks (queries.paths.RELATIONS)."""


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


# -- named queries ---------------------------------------------------------------------------------
class QueryInfo(BaseModel):
    """A named query as partner tools see it: what it answers and what it takes."""

    model_config = _example(
        name="pole-digital-coverage", url="http://127.0.0.1:8000/api/v1/queries/pole-digital-coverage",
        summary="Pole digital coverage — how many of each pole's projects have a digital partner",
        description="One row per competitiveness pole with at least one visible project...",
        tags=["gaps", "poles", "projects"], page_size=None,
        params=[{"name": "pole", "type": "iri", "kind": "pole", "required": False, "default": None,
                 "allowed": None, "multi": True, "description": "Only these poles."}])

    name: str
    url: str = Field(description="where to run it (GET, parameters in the query string)")
    summary: str
    description: str
    tags: list[str]
    page_size: int | None = Field(description="rows per page by default; None: every row, up to the API's limit")
    params: list[Param]


class Page(BaseModel):
    """One page of rows, and where the next one is."""

    offset: int = Field(ge=0, description="rows skipped before this page")
    limit: int = Field(ge=1, description="rows per page")
    has_more: bool = Field(description="whether another page follows")
    next: str | None = Field(description="absolute URL of the next page (also in the Link header); None on the last")


class QueryPage(Page):
    """A page of a named query's rows; each row maps a column to a plain JSON value (an IRI as a string)."""

    model_config = _example(
        columns=["pole", "pole_label", "projects", "projects_with_digital_partner", "share",
                 "projects_needing_digital_without_partner"],
        rows=[{"pole": f"{EX}pole/biowin", "pole_label": "BioWin", "projects": 4, "projects_with_digital_partner": 3,
               "share": 0.75, "projects_needing_digital_without_partner": 1}],
        offset=0, limit=1, has_more=True,
        next="http://127.0.0.1:8000/api/v1/queries/pole-digital-coverage?offset=1&limit=1")

    columns: list[str]
    rows: list[dict[str, Any]]


# -- gaps ------------------------------------------------------------------------------------------
class TechnologyGap(BaseModel):
    """Demand for a technology (with its narrower concepts) against the cluster's supply."""

    model_config = _example(technology=f"{TECH}high-performance-computing", label="high-performance computing",
                            demand_projects=3, demand_firms=0, supply=0, labs=1, gap_score=3.0)

    technology: str
    label: str | None
    demand_projects: int = Field(description="projects that need it")
    demand_firms: int = Field(description="firms that need it")
    supply: int = Field(description="cluster members that offer it")
    labs: int = Field(description="research labs with expertise in it")
    gap_score: float = Field(description="(demand_projects + demand_firms) / (supply + 1)")


class TechnologyGapPage(Page):
    rows: list[TechnologyGap]


class PoleCoverage(BaseModel):
    """How many of a pole's projects have a digital partner (a cluster member, or a lab with expertise)."""

    model_config = _example(pole=f"{EX}pole/wagralim", pole_label="Wagralim", projects=4,
                            projects_with_digital_partner=2, share=0.5, projects_needing_digital_without_partner=1)

    pole: str
    pole_label: str | None
    projects: int
    projects_with_digital_partner: int
    share: float = Field(ge=0, le=1)
    projects_needing_digital_without_partner: int


class PoleCoveragePage(Page):
    rows: list[PoleCoverage]


class ProjectWithoutDigitalPartner(BaseModel):
    """A pole's project that needs digital technologies and has no digital partner."""

    model_config = _example(project=f"{EX}project/wagralim-wg-2024-04", title="Jumeau numérique de la laiterie",
                            pole=f"{EX}pole/wagralim", pole_label="Wagralim", technologies="digital twin")

    project: str
    title: str | None
    pole: str
    pole_label: str | None
    technologies: str = Field(description="the technologies it needs, by English label, separated by ', '")


class ProjectsWithoutDigitalPartnerPage(Page):
    rows: list[ProjectWithoutDigitalPartner]


# -- paths -----------------------------------------------------------------------------------------
class Hop(BaseModel):
    """One hop of a path, walked from `from` to `to`, with the participation or membership as evidence."""

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": f"{EX}org/be-0450111177", "relation": "participates_in", "to": f"{EX}project/wagralim-wg-2019-01",
        "via": f"{EX}participation/wagralim-wg-2019-01/be-0450111177", "label": "Tri optique des fruits",
        "start": "2019-01-01", "end": "2020-12-31"}]})

    source: str = Field(alias="from")
    relation: Relation
    target: str = Field(alias="to")
    via: str | None
    label: str | None = Field(description="the label of `to`")
    start: str | None = Field(description="ISO date the tie starts, when known")
    end: str | None = Field(description="ISO date the tie ends, when known")


class CollaborationPath(BaseModel):
    length: int = Field(description="hops")
    hops: list[Hop]


class Paths(BaseModel):
    """The shortest collaboration paths between two actors, shortest first; none with a message saying so."""

    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "from": f"{EX}org/be-0450111177", "to": f"{EX}lab/ucl-image", "message": None,
        "paths": [{"length": 2, "hops": [
            {"from": f"{EX}org/be-0450111177", "relation": "participates_in",
             "to": f"{EX}project/wagralim-wg-2019-01", "via": f"{EX}participation/wagralim-wg-2019-01/be-0450111177",
             "label": "Tri optique des fruits", "start": "2019-01-01", "end": "2020-12-31"},
            {"from": f"{EX}project/wagralim-wg-2019-01", "relation": "participates_in", "to": f"{EX}lab/ucl-image",
             "via": f"{EX}participation/wagralim-wg-2019-01/ucl-image", "label": "Laboratoire d'imagerie médicale",
             "start": "2019-01-01", "end": "2020-12-31"}]}]}]})

    source: str = Field(alias="from", description="the IRI the `from` parameter names")
    target: str = Field(alias="to", description="the IRI the `to` parameter names")
    paths: list[CollaborationPath]
    message: str | None = Field(description="why there is no path; None when there are paths")


# -- recommendations -------------------------------------------------------------------------------
class Candidate(BaseModel):
    """A recommended partner, the parts of its score, and the reasons in words."""

    model_config = _example(
        iri=f"{EX}lab/uliege-hpc", label="Calcul intensif", kind="lab", score=0.6813334,
        technologies=[f"{TECH}high-performance-computing"], distance=4,
        shared_partners=[f"{EX}lab/ucl-image", f"{EX}org/be-0620111102"], adamic_adar=1.1352332,
        reasons=["has expertise in high-performance computing (needed: high-performance computing)",
                 "4 hops away via project IMAGIA, Pharmalys Essai SA, project BIOSIM", "..."])

    iri: str
    label: str
    kind: Literal["company", "lab"]
    score: float = Field(description="0.5 x coverage + 0.3 x proximity + 0.2 x shared-partner index")
    technologies: list[str] = Field(description="the needed technologies it covers")
    distance: int | None = Field(description="hops in the strong-tie graph; None beyond 4")
    shared_partners: list[str]
    adamic_adar: float
    reasons: list[str]


class Recommendations(BaseModel):
    candidates: list[Candidate] = Field(description="best first")


# -- network ---------------------------------------------------------------------------------------
class Central(BaseModel):
    """An organisation ranked by betweenness in the strong-tie collaboration graph."""

    model_config = _example(rank=1, iri=f"{EX}lab/ucl-image", label="Laboratoire d'imagerie médicale", kind="lab",
                            betweenness=0.1458, betweenness_raw=77.0, degree=7, projects=3, method="exact")

    rank: int
    iri: str
    label: str
    kind: str
    betweenness: float = Field(description="normalised: raw / ((n-1)(n-2)/2)")
    betweenness_raw: float
    degree: int = Field(description="distinct partner organisations through projects")
    projects: int
    method: str = Field(description='"exact", or how it was sampled')


class Member(BaseModel):
    iri: str
    label: str
    kind: str


class PoleShare(BaseModel):
    iri: str
    label: str
    members: int = Field(description="members of the community connected to this pole")


class Community(BaseModel):
    """Organisations that work together (Louvain on shared projects), and the poles they gather around."""

    model_config = _example(
        community=1, size=2, poles=[{"iri": f"{EX}pole/wagralim", "label": "Wagralim", "members": 2}],
        members=[{"iri": f"{EX}org/be-0810333347", "label": "Brasserie Carolo SRL", "kind": "company"},
                 {"iri": f"{EX}org/se-nordic-pack-ab", "label": "Nordic Pack AB", "kind": "organisation"}],
        dominant_poles=[{"iri": f"{EX}pole/wagralim", "label": "Wagralim", "members": 2}])

    community: int
    size: int
    members: list[Member]
    poles: list[PoleShare]
    dominant_poles: list[PoleShare]


class BridgePole(BaseModel):
    iri: str
    label: str
    member: bool
    projects: int


class Bridge(BaseModel):
    """A firm connected to two or more poles, by membership or by projects they labelled."""

    model_config = _example(
        rank=1, iri=f"{EX}org/be-0450333386", label="Brixtel Logistique SRL", kind="company", pole_count=2,
        project_poles=0, member_poles=2, projects=0,
        poles=[{"iri": f"{EX}pole/biowin", "label": "BioWin", "member": True, "projects": 0},
               {"iri": f"{EX}pole/wagralim", "label": "Wagralim", "member": True, "projects": 0}])

    rank: int
    iri: str
    label: str
    kind: str
    poles: list[BridgePole]
    pole_count: int
    project_poles: int
    member_poles: int
    projects: int
