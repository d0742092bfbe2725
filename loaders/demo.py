"""A fictional but realistic innovation ecosystem, written as the files an analyst would load.

The demo goes through the real loaders (French or English headers, `;` or `,`, UTF-8, BOM or
Windows-1252, one Excel workbook), so it exercises what users' spreadsheets exercise. Everything is drawn
from ``random.Random`` streams seeded per region and per file: the same seed gives byte-identical files.

Wallonia is region 1. ``scale`` N > 1 adds N - 1 fictional regions, each with its own six poles
(``biowin-r2``...), cluster (``ict-r2``), firms, labs, institutions and projects, so that degrees and hubs
stay realistic as the graph grows; they reuse Walloon postcodes so that addresses stay valid. Rows are
written as they are generated (one region in memory at a time), and for scale > 1 Skywin is written as
CSV like the other poles, because an openpyxl workbook is held in memory until it is saved.

Built-in findings: technologies that projects need but at most two cluster members offer (computer vision,
digital twins, OT security), lab expertise no firm offers (quantum, HPC), ~10 % isolated members,
e-invoicing offered by few members and needed by many pole members, EU projects with foreign partners,
firms in two poles, and a few labels no concept matches (two of them mapped by the curation file). The
programme's events, their attendance and the soft-digital tools firms use come from loaders/demo_programme.py.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from bisect import bisect
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, TextIO

import openpyxl
import pyoxigraph as ox

from loaders import demo_programme
from loaders.demo_programme import Programme
from loaders.vocabulary import normalise
from ontology import REFERENCE_TTL, TECHNOLOGIES_TTL
from ontology.vocab import SECTOR, SKOS, TECH, node

__all__ = ["DemoFile", "generate"]


@dataclass(frozen=True)
class DemoFile:
    """One source to load: its kind, the source name, and the files loaded together into it."""

    kind: str
    source: str
    paths: tuple[Path, ...]


# -- Reference tables: real places and institutions; every firm, lab and project is invented -------------


def listed(text: str, sep: str | None = None) -> tuple[str, ...]:
    """Compact tables: 'a b c' -> ('a', 'b', 'c')."""
    return tuple(text.split(sep))


def weights(text: str) -> dict[str, int]:
    """'erp:3 crm:2' -> {'erp': 3, 'crm': 2}."""
    return {k: int(w) for k, w in (item.split(":") for item in text.split())}


@dataclass(frozen=True)
class City:
    postcode: str
    name: str
    zone: str  # telephone zone
    weight: int  # share of the digital firms: skewed to Liège, Namur, Charleroi, Louvain-la-Neuve


CITIES = tuple(City(p, n, z, int(w)) for p, n, z, w in (c.split(":") for c in listed(
    "4000:Liège:4:20|5000:Namur:81:13|6000:Charleroi:71:11|1348:Louvain-la-Neuve:10:12|7000:Mons:65:7"
    "|1300:Wavre:10:5|6041:Gosselies:71:5|1435:Mont-Saint-Guibert:10:4|7500:Tournai:69:3"
    "|1400:Nivelles:67:3|7100:La Louvière:64:3|4100:Seraing:4:2|4800:Verviers:87:2|6700:Arlon:63:2"
    "|4700:Eupen:87:1|6900:Marche-en-Famenne:84:1|5030:Gembloux:81:2|1340:Ottignies:10:2"
    "|1410:Waterloo:2:2|4040:Herstal:4:2|5100:Jambes:81:1|4430:Ans:4:1|4460:Grâce-Hollogne:4:1"
    "|6220:Fleurus:71:1|7700:Mouscron:56:1|4500:Huy:85:1|5590:Ciney:83:0|4650:Herve:87:0"
    "|7180:Seneffe:64:0|7822:Ghislenghien:68:0|4041:Milmort:4:0|7900:Leuze-en-Hainaut:69:0"
    "|6800:Libramont-Chevigny:61:0|1420:Braine-l'Alleud:2:1|5500:Dinant:82:0", "|")))
CITY = {c.name: c for c in CITIES}
STREETS = listed(
    "Rue de la Station|Avenue des Tilleuls|Chaussée de Bruxelles|Rue du Parc|Rue de l'Église"
    "|Boulevard de l'Europe|Rue des Champs|Avenue de la Gare|Rue du Commerce|Rue Haute|Rue de la Science"
    "|Avenue Einstein|Rue du Bois|Chaussée de Namur|Rue des Alouettes|Rue de l'Industrie"
    "|Parc industriel, Zone A|Rue du Moulin|Avenue Reine Astrid|Rue Saint-Roch", "|")
SYLLABLES = listed("bri no va lix tel qua zen or ka mo ly ter vi sa ne to ra dex cor fi lu mi on pri so ta "
                   "xo ze gal mer vel dra ni quin bel ro tra sel ar em")
ENDINGS = ("", "", "", "x", "s", "a", "o", "ia", "is", "en")
DIGITAL_WORDS = listed("Analytics Digital Software Solutions Data Systems Labs Consulting IT Technologies "
                       "Web Informatique Cloud Cyber Studio Interactive Numérique Services")
LEGAL_DIGITAL = weights("SRL:50 SA:20 SPRL:10 SC:5 SCRL:3 BV:2")
LEGAL_INDUSTRY = weights("SA:45 SRL:35 SPRL:8 SCRL:5 ASBL:3 NV:2")


@dataclass(frozen=True)
class Pole:
    """A competitiveness pole as the demo draws it: size, sector, what its projects need."""

    id: str
    name: str
    in_file: str  # how its own files name it (id, name or acronym)
    sector: str
    members: int
    projects: int
    digital_share: float  # chance that a project takes a digital firm on board
    needs: dict[str, int]
    words: tuple[str, ...]  # "^Brasserie" goes before the invented name, "Food" after it
    acronyms: tuple[str, ...]
    home: tuple[str, ...]  # the cities where its industry clusters
    project_id: str
    objects_fr: tuple[str, ...]
    objects_en: tuple[str, ...]


def pole(*a: Any) -> Pole:
    """A Pole from compact text: needs as 'slug:weight', lists separated by spaces or '|'."""
    pid, name, in_file, sector, members, projects, share, needs, words, acro, home, fmt, fr, en = a
    return Pole(pid, name, in_file, sector, members, projects, share, weights(needs), listed(words),
                listed(acro), listed(home, "|"), fmt, listed(fr, "|"), listed(en, "|"))


POLES = (
    pole("biowin", "BioWin", "BioWin", "health-biotech", 62, 15, 0.45,
         "bioinformatics:5 machine-learning:4 medical-imaging-ai:4 artificial-intelligence:3 big-data:2 "
         "deep-learning:2 data-protection:2 health-records:2 medical-software:2 cloud-computing:1 "
         "high-performance-computing:1 natural-language-processing:1",
         "Pharma Bio Therapeutics Diagnostics Medical Biologics ^Laboratoires", "BIO MED THERA GEN CELL",
         "Louvain-la-Neuve|Gosselies|Liège|Mont-Saint-Guibert", "BW-{y}-{n:03d}",
         "du développement de médicaments|des essais cliniques|des thérapies cellulaires"
         "|du diagnostic in vitro|de la production de vaccins|des dispositifs médicaux",
         "for drug development|for clinical trials|for cell therapies|for in vitro diagnostics"
         "|for vaccine production|for medical devices"),
    pole("greenwin", "Greenwin", "greenwin", "green-chemistry-environment", 50, 14, 0.6,
         "data-analytics:4 internet-of-things:4 sensors:3 smart-buildings:3 predictive-analytics:2 "
         "machine-learning:2 simulation:2 remote-sensing:2 digital-twin:1 big-data:1 ot-security:1",
         "Chemicals Environnement ^Recyclage Energy Matériaux Green Water", "GREEN ECO CIRC CHEM AQUA",
         "Mons|Seneffe|Charleroi|Liège", "GW{yy}-{n:02d}",
         "des bâtiments tertiaires|du recyclage des plastiques|des procédés chimiques"
         "|du traitement des eaux|des réseaux de chaleur|des matériaux biosourcés",
         "for office buildings|for plastics recycling|for chemical processes|for water treatment"
         "|for district heating|for bio-based materials"),
    pole("logistics-in-wallonia", "Logistics in Wallonia", "LIW", "transport-logistics", 45, 13, 0.7,
         "optimisation:6 supply-chain-software:4 asset-tracking:4 internet-of-things:3 rpa:3 e-invoicing:3 "
         "erp:2 predictive-analytics:2 autonomous-mobile-robots:2 intelligent-transport-systems:2 "
         "blockchain:1 5g:1",
         "Logistique ^Transports Logistics Distribution Freight Cargo", "LOGI TRANS FLOW HUB CARGO",
         "Grâce-Hollogne|Liège|Ghislenghien|Charleroi", "LIW-{y}-{n:02d}",
         "des entrepôts|du transport routier|du fret aérien|de la logistique urbaine"
         "|des plateformes multimodales|du dernier kilomètre",
         "for warehouses|for road haulage|for air freight|for city logistics|for multimodal hubs"
         "|for last-mile delivery"),
    pole("mecatech", "MecaTech", "mecatech", "mechanical-engineering", 58, 15, 0.65,
         "industrial-iot:5 industrial-robots:4 digital-twin:4 ot-security:4 cobots:3 "
         "industrial-digital-twin:3 predictive-maintenance:3 computer-vision:2 augmented-reality:2 "
         "3d-modelling:2 simulation:2 industrial-control-systems:2 edge-computing:1",
         "Mécanique Engineering Industries ^Usinage Metal Automation ^Ateliers", "MECA ROBO FAB INDU FORGE",
         "Seraing|Herstal|Charleroi|La Louvière", "MT-{y}-{n:03d}",
         "des machines-outils|des lignes d'usinage|de la fabrication additive|des ateliers de soudage"
         "|des procédés de forge|de l'assemblage robotisé",
         "for machine tools|for machining lines|for additive manufacturing|for welding shops"
         "|for forging processes|for robotic assembly"),
    pole("skywin", "Skywin", "Skywin", "aerospace", 50, 15, 0.6,
         "simulation:5 digital-twin:5 embedded-systems:5 high-performance-computing:3 "
         "computational-fluid-dynamics:2 cybersecurity:2 ot-security:2 predictive-maintenance:2 drones:2 "
         "augmented-reality:1 edge-ai:1 satellite-communications:1 remote-sensing:1",
         "Aero Aerospace Composites Avionics Precision Space", "AERO SKY WING SPACE ORBIT",
         "Gosselies|Milmort|Charleroi|Fleurus", "SKW/{y}/{n:02d}",
         "des structures composites|des moteurs d'avion|des satellites d'observation"
         "|de l'assemblage aéronautique|des essais en vol|des trains d'atterrissage",
         "for composite structures|for aircraft engines|for Earth-observation satellites"
         "|for aircraft assembly|for flight testing|for landing gear"),
    pole("wagralim", "Wagralim", "Wagralim", "agri-food", 68, 18, 0.6,
         "computer-vision:7 sensors:4 asset-tracking:4 erp:3 blockchain:2 industrial-iot:2 "
         "predictive-maintenance:2 data-analytics:2 process-automation:2 smart-farming:2 "
         "supply-chain-software:1 e-commerce:1 industrial-robots:1",
         "Food ^Fromagerie ^Brasserie ^Biscuiterie Agro ^Laiterie ^Chocolaterie ^Conserverie",
         "AGRI FOOD NUTRI LAIT FRESH", "Gembloux|Marche-en-Famenne|Ciney|Herve|Tournai", "WAG-{y}-{n:02d}",
         "des lignes de conditionnement|de la filière laitière|des produits de boulangerie"
         "|de la transformation des légumes|de la chaîne du froid|des brasseries artisanales",
         "for packaging lines|for the dairy chain|for bakery products|for vegetable processing"
         "|for the cold chain|for craft breweries"),
)
POLE = {p.id: p for p in POLES}
ACTIONS_FR = listed("Contrôle qualité automatisé|Traçabilité numérique|Maintenance prédictive"
                    "|Optimisation énergétique|Pilotage intelligent|Jumeau numérique|Plateforme de données"
                    "|Automatisation|Surveillance en temps réel|Aide à la décision", "|")
ACTIONS_EN = listed("Automated quality control|Digital traceability|Predictive maintenance|Energy optimisation"
                    "|Smart control|Digital twin|Data platform|Automation|Real-time monitoring"
                    "|Decision support", "|")
# Regional funding and the years it ran; "{}" is the call's year.
REGIONAL_PROGRAMMES = (("Appel pôles de compétitivité {}", 2016, 2024), ("Win2Wal {}", 2019, 2024),
                       ("Plan de relance de la Wallonie", 2021, 2024), ("FEDER 2014-2020", 2016, 2020),
                       ("FEDER 2021-2027", 2022, 2024), ("Programme mobilisateur {}", 2016, 2020))

# What a digital firm offers, by profile (weight = share of firms); the first items are the most common.
PROFILES = {name: (int(w), listed(slugs)) for name, w, slugs in (
    ("web", 22, "web-development website mobile-apps e-commerce ux-ui-design digital-marketing "
                "custom-software saas"),
    ("software", 16, "custom-software software-engineering apis-integration software-testing devops low-code"),
    ("msp", 14, "it-support cyber-hygiene collaboration-tools hosting website crm"),
    ("erp", 12, "erp crm accounting-software process-automation rpa document-management "
                "business-intelligence hr-software supply-chain-software"),
    ("data", 10, "data-analytics business-intelligence data-engineering data-science data-visualisation "
                 "big-data data-warehousing machine-learning"),
    ("ai", 8, "artificial-intelligence machine-learning deep-learning natural-language-processing "
              "generative-ai large-language-models chatbots predictive-analytics trustworthy-ai"),
    ("cloud", 6, "cloud-computing cloud-infrastructure hosting devops network-engineering"),
    ("cyber", 6, "cybersecurity security-audit network-security identity-access-management data-protection "
                 "security-operations cryptography"),
    ("iot", 6, "internet-of-things sensors embedded-systems edge-computing lpwan industrial-iot "
               "asset-tracking signal-processing predictive-maintenance"),
    ("xr", 4, "augmented-reality virtual-reality 3d-modelling games"),
    ("optim", 3, "optimisation predictive-analytics data-science supply-chain-software"),
    ("geo", 3, "geospatial remote-sensing satellite-navigation drones"),
    ("health", 3, "digital-health health-records telemedicine medical-software medical-imaging-ai"),
)}
# Kept scarce on purpose: how many cluster members of a region offer each. Their narrower concepts are
# never offered either, since offering one counts as offering the broader one.
SCARCE = weights("computer-vision:2 digital-twin:1 e-invoicing:5 ot-security:0 high-performance-computing:0 "
                 "quantum-technologies:0")
SOFT_NEEDS = weights("erp:3 crm:2 cyber-hygiene:2 website:1 e-commerce:1 accounting-software:1 "
                     "document-management:1 collaboration-tools:1 business-intelligence:1 process-automation:1")
SIDELINES = weights("industrial-iot:1 embedded-systems:1 data-analytics:1 erp:1")  # industrial firms' offers
MARKETS = listed("health-biotech agri-food transport-logistics mechanical-engineering aerospace "
                 "green-chemistry-environment energy construction retail-ecommerce public-sector finance "
                 "professional-services")

# code -> institution, type, enterprise number (from CORDIS) or "", postcode, city, lab topics
INSTITUTIONS = {code: (name, kind, number, pc, city, listed(topics)) for code, name, kind, number, pc, city,
                topics in (
    ("UCL", "UCLouvain", "university", "0419.052.272", "1348", "Louvain-la-Neuve",
     "AI DATA QUANT CYBER ROBOT IMAGING NET SWENG"),
    ("ULIEGE", "Université de Liège", "university", "0325.777.171", "4000", "Liège",
     "VISION AI HPC BIOINFO IOT TWIN OPTIM ENERGY AGRI"),
    ("UNAMUR", "Université de Namur", "university", "", "5000", "Namur", "SWENG NLP DATA CYBER XR"),
    ("UMONS", "Université de Mons", "université", "", "7000", "Mons", "VISION NLP IMAGING NET OPTIM XR"),
    ("ULB", "Université libre de Bruxelles", "university", "0407.626.464", "1050", "Ixelles",
     "QUANT BIOINFO HPC DATA"),
    ("CETIC", "CETIC", "research centre", "", "6041", "Gosselies", "SWENG CYBER IOT"),
    ("MULTITEL", "Multitel", "centre de recherche", "", "7000", "Mons", "NET VISION AI"),
    ("CENAERO", "Cenaero", "research centre", "", "6041", "Gosselies", "HPC TWIN"),
    ("SIRRIS", "Sirris", "research centre", "", "4102", "Seraing", "ROBOT TWIN"),
    ("CRAW", "Centre wallon de Recherches agronomiques", "research centre", "0262.172.984", "5030",
     "Gembloux", "AGRI DATA"),
)}
TOPICS = {code: (name, listed(slugs)) for code, name, slugs in (
    ("VISION", "Laboratoire de vision artificielle", "computer-vision image-recognition deep-learning"),
    ("AI", "Groupe de recherche en intelligence artificielle",
     "artificial-intelligence machine-learning reinforcement-learning trustworthy-ai"),
    ("DATA", "Laboratoire de science des données", "data-science data-mining statistics knowledge-graphs"),
    ("NLP", "Centre de traitement automatique du langage",
     "natural-language-processing large-language-models speech-technologies machine-translation"),
    ("QUANT", "Unité d'informatique quantique",
     "quantum-computing quantum-communication post-quantum-cryptography"),
    ("HPC", "Centre de calcul intensif et de simulation",
     "high-performance-computing parallel-computing simulation"),
    ("CYBER", "Laboratoire de sécurité informatique",
     "cybersecurity cryptography ot-security identity-access-management"),
    ("IOT", "Laboratoire des systèmes embarqués et capteurs",
     "embedded-systems internet-of-things sensors edge-ai signal-processing"),
    ("ROBOT", "Laboratoire de robotique et mécatronique",
     "robotics industrial-robots cobots autonomous-mobile-robots computer-vision"),
    ("BIOINFO", "Unité de bio-informatique",
     "bioinformatics machine-learning statistics high-performance-computing"),
    ("IMAGING", "Laboratoire d'imagerie médicale computationnelle",
     "medical-imaging-ai computer-vision deep-learning"),
    ("NET", "Groupe réseaux et télécommunications", "5g wireless-networks network-engineering lpwan"),
    ("XR", "Laboratoire de réalité virtuelle et augmentée",
     "virtual-reality augmented-reality 3d-modelling games"),
    ("OPTIM", "Unité de recherche opérationnelle", "optimisation simulation predictive-analytics"),
    ("SWENG", "Groupe de génie logiciel", "software-engineering software-testing apis-integration open-source"),
    ("TWIN", "Laboratoire de jumeaux numériques",
     "digital-twin industrial-digital-twin simulation computational-fluid-dynamics"),
    ("AGRI", "Unité d'agriculture de précision", "smart-farming remote-sensing sensors computer-vision"),
    ("ENERGY", "Groupe des systèmes énergétiques intelligents",
     "smart-buildings predictive-analytics internet-of-things optimisation"),
)}
# (country, weight, company forms, research-institute pattern)
FOREIGN = (("FR", 8, ("SAS", "SA"), "Institut {}"), ("DE", 6, ("GmbH", "AG"), "{}-Institut"),
           ("NL", 5, ("B.V.",), "{} Instituut"), ("IT", 4, ("S.r.l.", "S.p.A."), "Istituto {}"),
           ("ES", 4, ("S.L.", "S.A."), "Instituto {}"), ("LU", 2, ("S.A.", "S.à r.l."), "Institut {}"),
           ("PT", 1, ("Lda",), "Instituto {}"), ("AT", 1, ("GmbH",), "{} Forschung"),
           ("FI", 1, ("Oy",), "{} Research"), ("SE", 1, ("AB",), "{} Research Institute"),
           ("IE", 1, ("Ltd",), "{} Research Centre"))
FOREIGN_WORDS = ("Tech", "Systems", "Solutions", "Engineering", "Innovation", "Analytics", "Industries")
# Labels no concept matches, for the review report (~2 % of technology cells); two are mapped by curation.
FREE_TEXT = {"Odoo v16": 3, "IA générative pour RH": 3, "outil maison": 2, "logiciel maison": 1,
             "Excel avancé": 1, "plateforme interne": 1, "tableur partagé": 1}
FREE_TEXT_RATE = 0.02
CURATION = (("Odoo v16", str(TECH["erp"]), "version d'Odoo citée telle quelle par les membres"),
            ("IA générative pour RH", "tech:generative-ai", "usage RH de l'IA générative"))


# -- Vocabularies: technology and sector labels, read from the ontology files -----------------------------


def _writable(text: str) -> bool:
    """No list separator inside, and encodable in Windows-1252 (Wagralim's files)."""
    return not any(c in text for c in ",;|\r\n") and text.encode("cp1252", "replace").decode("cp1252") == text


@dataclass
class Vocabulary:
    """Labels of a SKOS scheme by concept slug, to write them the way spreadsheets mix them."""

    pref: dict[str, dict[str, str]] = field(default_factory=dict)
    alt: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    broader: dict[str, str] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)  # every label, normalised

    @classmethod
    def read(cls, path: Path, namespace: str) -> Vocabulary:
        vocab, labels = cls(), []
        pref, alt, broader = node(SKOS.prefLabel), node(SKOS.altLabel), node(SKOS.broader)
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri="http://demo.invalid/"):
            if not t.subject.value.startswith(namespace):
                continue
            slug = t.subject.value[len(namespace):]
            if t.predicate == broader:
                vocab.broader[slug] = t.object.value[len(namespace):]
            elif isinstance(t.object, ox.Literal) and t.predicate in (pref, alt):
                labels.append((slug, t.predicate == pref, t.object.language or "fr", t.object.value))
        owners: dict[str, set[str]] = {}
        for slug, _, _, text in labels:
            owners.setdefault(normalise(text), set()).add(slug)
        vocab.known = set(owners)
        for slug, is_pref, lang, text in labels:
            if len(owners[normalise(text)]) > 1 or not _writable(text):  # an ambiguous label is a wrong match
                continue
            if is_pref:
                vocab.pref.setdefault(slug, {})[lang] = text
            else:
                vocab.alt.setdefault(slug, {}).setdefault(lang, []).append(text)
        return vocab

    def require(self, slugs: Collection[str], what: str) -> None:
        """Fail at once, naming them, if the demo uses concepts the scheme lacks."""
        if missing := sorted(s for s in slugs if s not in self.pref):
            raise ValueError(f"the demo uses {what} missing from the scheme: {', '.join(missing)}")

    def narrower(self, top: str) -> set[str]:
        """The concept and everything under it (skos:broader*)."""
        def under(slug: str) -> bool:
            while slug != top and slug in self.broader:
                slug = self.broader[slug]
            return slug == top
        return {s for s in self.pref if under(s)}

    def label(self, slug: str, lang: str, rng: random.Random) -> str:
        """Mostly the preferred label in the file's language; sometimes the other one, or an altLabel."""
        roll, prefs, alts = rng.random(), self.pref[slug], self.alt.get(slug, {}).get(lang)
        if alts and roll < 0.25:
            return rng.choice(alts)
        other = "en" if lang == "fr" else "fr"
        if roll > 0.85 and other in prefs:
            return prefs[other]
        return prefs.get(lang) or next(iter(prefs.values()))


# -- Random draws and identifiers -------------------------------------------------------------------------


class Rng(random.Random):
    """random.Random with choice/randint from one float draw each: the demo makes millions of them."""

    def choice(self, seq: Sequence[Any]) -> Any:  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))


class Pool:
    """Weighted items for repeated draws: one, or k distinct ones (so that hubs come up often)."""

    def __init__(self, weights: Mapping[Any, float] | Iterable[tuple[Any, float]]) -> None:
        pairs = [(i, w) for i, w in (weights.items() if isinstance(weights, Mapping) else weights) if w > 0]
        self.items, self.cum = [i for i, _ in pairs], list(accumulate(w for _, w in pairs))

    def one(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cum, rng.random() * self.cum[-1])]

    def some(self, rng: random.Random, k: int, exclude: Collection[Any] = ()) -> tuple[Any, ...]:
        items, cum = self.items, self.cum
        if k >= len(items):
            return tuple([i for i in items if i not in exclude])
        chosen, total, draw = dict[int, None](), cum[-1], rng.random
        while len(chosen) < k:
            chosen[bisect(cum, draw() * total)] = None
        return tuple([items[i] for i in chosen if items[i] not in exclude])


DIGITAL_CITIES, ANY_CITY = Pool((c, c.weight) for c in CITIES), Pool((c, c.weight + 1) for c in CITIES)
DIGITAL_FORMS, INDUSTRY_FORMS = Pool(LEGAL_DIGITAL), Pool(LEGAL_INDUSTRY)
PROFILE = Pool({name: w for name, (w, _) in PROFILES.items()})
OFFERS = {name: Pool({s: len(slugs) - i for i, s in enumerate(slugs)}) for name, (_, slugs) in PROFILES.items()}
SOFT, SIDELINE, FREE = Pool(SOFT_NEEDS), Pool(SIDELINES), Pool(FREE_TEXT)
NEEDS = {p.id: Pool(p.needs) for p in POLES}
COUNTRIES = Pool((f, f[1]) for f in FOREIGN)
ROLES = Pool({"partner": 80, "subcontractor": 10, "associated": 10})


class Numbers:
    """Valid, unique KBO/BCE numbers: an affine permutation of 8-digit stems, one block per region."""

    SPAN, FIRST, BLOCK = 8_000_000, 2_000_000, 1024
    RESERVED = frozenset(i[2] for i in INSTITUTIONS.values() if i[2])

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"{seed}:numbers")
        self.a = next(a for a in iter(lambda: rng.randrange(1_000_001, self.SPAN), 0) if a % 2 and a % 5)
        self.b = rng.randrange(self.SPAN)

    def block(self, region: int) -> Iterator[str]:
        for i in range((region - 1) * self.BLOCK, region * self.BLOCK):
            stem = self.FIRST + (self.a * i + self.b) % self.SPAN
            digits = f"{stem:08d}{97 - stem % 97:02d}"
            number = f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
            if number not in self.RESERVED:
                yield number


MAX_SCALE = Numbers.SPAN // Numbers.BLOCK


class Kbo(str):
    """An enterprise number (0436.195.241), which each file spells its own way."""


class Techs(tuple[str, ...]):
    """Technology slugs, written as labels."""


class Sectors(tuple[str, ...]):
    """Sector slugs, written as labels."""


# -- One region's actors and projects ---------------------------------------------------------------------


@dataclass(eq=False)
class Firm:
    number: str
    name: str
    city: City
    street: str
    website: str
    email: str
    phone: str
    employees: int | None
    since: date
    weight: float  # how often it is picked for projects: heavy-tailed (a few hubs); 0 = isolated
    sectors: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()  # the soft-digital tools written in its member or pole file


@dataclass(eq=False)
class Lab:
    code: str
    name: str
    institution: str
    kind: str
    institution_number: str
    postcode: str
    city: str
    street: str
    expertise: tuple[str, ...]
    weight: float


@dataclass
class Participation:
    number: str = ""
    lab: str = ""
    name: str = ""
    country: str = ""
    role: str = "partner"
    contribution: float | None = None


@dataclass
class Project:
    id: str
    title: str
    acronym: str
    start: date
    end: date
    budget: float
    programme: str
    needs: tuple[str, ...]
    sector: str
    participants: list[Participation] = field(default_factory=list)


@dataclass
class Membership:
    firm: Firm
    since: date
    until: date | None


@dataclass
class Region:
    """Everything of one region; the pools and indexes find a project's partners fast."""

    index: int
    labs: list[Lab]
    members: list[Firm]
    poles: dict[str, list[Membership]]
    foreign: Pool
    projects: dict[str, list[Project]] = field(default_factory=dict)
    programme: Programme | None = None

    def __post_init__(self) -> None:
        self.active = [m for m in self.members if m.weight > 0]
        self.everyone = Pool((m, m.weight) for m in self.active)
        self.in_pole = {p: Pool((m.firm, m.firm.weight) for m in ms) for p, ms in self.poles.items()}
        self.offering, self.experts = index_by(self.active, "offers"), index_by(self.labs, "expertise")

    def pole_id(self, pole: Pole) -> str:
        return pole.id if self.index == 1 else f"{pole.id}-r{self.index}"

    def pole_name(self, pole: Pole) -> str:
        return pole.name if self.index == 1 else f"{pole.name} R{self.index}"

    @property
    def cluster(self) -> str:
        return "ict-wallonia" if self.index == 1 else f"ict-r{self.index}"


def index_by(items: Sequence[Any], attribute: str) -> dict[str, list[Any]]:
    """Technology -> the firms or labs that offer it or study it."""
    index: dict[str, list[Any]] = {}
    for item in items:
        for slug in getattr(item, attribute):
            index.setdefault(slug, []).append(item)
    return index


def stem(rng: random.Random) -> str:
    syllables = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3))))
    return (syllables + rng.choice(ENDINGS)).capitalize()


def some_date(rng: random.Random, first: int, last: int) -> date:
    """A date in [first, last], skewed to recent years (more firms joined lately)."""
    year = first + min(last - first, int((last - first + 1) * rng.random() ** 0.75))
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


@cache
def web_name(word: str) -> str:
    return normalise(word.lstrip("^")).replace(" ", "-")


def make_firm(rng: random.Random, number: str, words: Sequence[str], forms: Pool, city: City,
              size: float) -> Firm:
    word, base = rng.choice(words), stem(rng)
    before = word.startswith("^")
    name = f"{word[1:]} {base}" if before else f"{base} {word}"
    domain = (f"{web_name(word)}-{base.lower()}" if before else f"{base.lower()}-{web_name(word)}") + ".example"
    digits = f"{rng.randint(200, 799)} {rng.randint(10, 99)} {rng.randint(10, 99)}"[len(city.zone) - 1:]
    local = "0" + city.zone
    phone = rng.choice((f"+32 {city.zone} {digits}", f"{local} {digits}", f"{local}/{digits.replace(' ', '.')}"))
    return Firm(
        number, f"{name} {forms.one(rng)}", city, f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
        website="" if rng.random() < 0.15 else rng.choice((f"https://www.{domain}", f"www.{domain}")),
        email="" if rng.random() < 0.1 else f"{rng.choice(('info', 'contact', 'hello'))}@{domain}",
        phone="" if rng.random() < 0.2 else phone,
        employees=None if rng.random() < 0.1 else min(5000, max(1, int(rng.lognormvariate(size, 1.2)))),
        since=some_date(rng, 2008, 2025), weight=rng.paretovariate(1.4))


def digital_member(rng: random.Random, number: str) -> Firm:
    firm = make_firm(rng, number, DIGITAL_WORDS, DIGITAL_FORMS, DIGITAL_CITIES.one(rng), 2.2)
    offers = OFFERS[PROFILE.one(rng)].some(rng, rng.randint(2, 5))
    if rng.random() < 0.15:  # a second line of business
        offers += OFFERS[rng.choice(PROFILE.items)].some(rng, 1, offers)
    firm.offers = offers
    firm.needs = SOFT.some(rng, rng.choice((0, 0, 1, 2)), offers)
    firm.sectors = ("digital", *rng.sample(MARKETS, rng.choice((0, 1, 1, 2))))
    return firm


def industrial_member(rng: random.Random, number: str, pole: Pole) -> Firm:
    city = CITY[rng.choice(pole.home)] if rng.random() < 0.6 else ANY_CITY.one(rng)
    firm = make_firm(rng, number, pole.words, INDUSTRY_FORMS, city, 3.4)
    needs = NEEDS[pole.id].some(rng, rng.randint(1, 3))
    needs += SOFT.some(rng, rng.randint(0, 2), needs)
    firm.needs = (*needs, "e-invoicing") if rng.random() < 0.4 else needs
    firm.sectors = (pole.sector,)
    if rng.random() < 0.1:  # a few industrial firms run a digital activity of their own
        firm.offers = SIDELINE.some(rng, 1)
    return firm


def make_labs(rng: random.Random, region: int) -> list[Lab]:
    """The institutions' labs; other regions get their own institutions (no hub shared across regions)."""
    labs, suffix = [], "" if region == 1 else f"-R{region}"
    for code, (name, kind, number, postcode, city, topics) in INSTITUTIONS.items():
        for topic in topics:
            title, expertise = TOPICS[topic]
            labs.append(Lab(
                f"{code}-{topic}{suffix}", title, name if region == 1 else f"{name} R{region}", kind,
                number if region == 1 else "", postcode, city, f"{rng.choice(STREETS)} {rng.randint(1, 40)}",
                expertise[:1] + tuple(rng.sample(expertise[1:], rng.randint(1, len(expertise) - 1))),
                rng.paretovariate(1.2)))
    return labs


def scarce_offers(rng: random.Random, active: Sequence[Firm]) -> None:
    """Each scarce technology to exactly its quota of members; the first computer-vision one in Liège."""
    for slug, quota in SCARCE.items():
        firms = [rng.choice([m for m in active if m.city.postcode.startswith("4")] or active)] \
            if slug == "computer-vision" else []
        firms += rng.sample([m for m in active if m not in firms], quota - len(firms))
        for firm in firms:
            firm.offers += (slug,)


def memberships(rng: random.Random, active: Sequence[Firm], count: int, numbers: Iterator[str],
                ) -> dict[str, list[Membership]]:
    """Industrial members per pole, plus digital members that joined a pole, and firms in two poles."""
    def join(firm: Firm) -> Membership:
        since = some_date(rng, 2008, 2025)
        left = rng.random() < 0.08 and since.year < 2023
        return Membership(firm, since, date(rng.randint(since.year + 1, 2025), 12, 31) if left else None)

    poles = {p.id: [join(industrial_member(rng, next(numbers), p)) for _ in range(p.members + rng.randint(0, 4))]
             for p in POLES}
    for firm in rng.sample(active, round(0.2 * count)):
        for p in rng.sample(POLES, 2 if rng.random() < 0.2 else 1):
            poles[p.id].append(join(firm))
    for a, b in (("wagralim", "greenwin"), ("skywin", "mecatech"), ("logistics-in-wallonia", "wagralim"),
                 ("biowin", "greenwin"), ("mecatech", "greenwin")):
        for m in rng.sample(poles[a][: POLE[a].members], 3):
            poles[b].append(join(m.firm))
    for listed_members in poles.values():
        listed_members.sort(key=lambda m: m.firm.name.casefold())
    return poles


def foreign_pool(rng: random.Random) -> Pool:
    """Foreign partners of EU projects, (name, country): a few recur in many projects."""
    pool: dict[tuple[str, str], float] = {}
    while len(pool) < 40:
        country, _, forms, institute = COUNTRIES.one(rng)
        base = stem(rng)
        name = (institute.format(base) if rng.random() < 0.3
                else f"{base} {rng.choice(FOREIGN_WORDS)} {rng.choice(forms)}")
        pool.setdefault((name, country), rng.paretovariate(1.3))
    return Pool(pool)


def make_project(rng: random.Random, region: Region, pole: Pole, n: int) -> Project:
    eu, year = rng.random() < 0.2, rng.randint(2016, 2024)
    start = date(year, rng.choice((1, 1, 3, 4, 7, 9, 10)), 1)
    months = start.month - 1 + rng.randint(18, 48)
    end = min(date(year + months // 12, months % 12 + 1, 1) - timedelta(days=1), date(2026, 12, 31))
    needs = NEEDS[pole.id].some(rng, rng.randint(2, 4))
    if rng.random() < 0.2:
        needs += SOFT.some(rng, 1, needs)
    calls = [name for name, first, last in REGIONAL_PROGRAMMES if first <= year <= last]
    suffix = "" if region.index == 1 else f"-R{region.index}"
    project = Project(
        pole.project_id.format(y=year, yy=year % 100, n=n) + suffix,
        f"{rng.choice(ACTIONS_EN)} {rng.choice(pole.objects_en)}" if eu
        else f"{rng.choice(ACTIONS_FR)} {rng.choice(pole.objects_fr)}",
        rng.choice(pole.acronyms) + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 2))).upper(),
        start, end, round(rng.lognormvariate(15.2 if eu else 13.9, 0.5), rng.choice((0, 2))),
        ("H2020" if year <= 2020 else "Horizon Europe") if eu else rng.choice(calls).format(year),
        needs, pole.sector)
    project.participants = participants(rng, region, pole, project, eu)
    return project


def participants(rng: random.Random, region: Region, pole: Pole, project: Project, eu: bool,
                 ) -> list[Participation]:
    """Pole members, perhaps a digital firm, labs and (EU projects) foreign partners; hubs recur."""
    firms = list(region.in_pole[pole.id].some(rng, 1 + min(3, int(rng.expovariate(0.8)))))
    if rng.random() < 0.12:  # a firm of another pole: the bridges between poles
        firms += region.in_pole[rng.choice([p.id for p in POLES if p is not pole])].some(rng, 1)
    if rng.random() < pole.digital_share:
        offering = dict.fromkeys(m for s in project.needs for m in region.offering.get(s, ()))
        pool = Pool((m, m.weight) for m in offering) if offering and rng.random() < 0.7 else region.everyone
        firms += pool.some(rng, 1 if rng.random() < 0.75 else 2)
    out = [Participation(number=n) for n in dict.fromkeys(f.number for f in firms)]
    if rng.random() < (0.85 if eu else 0.55):
        near = dict.fromkeys(lab for s in project.needs for lab in region.experts.get(s, ())) or region.labs
        labs = Pool((lab, lab.weight) for lab in near).some(rng, rng.choice((1, 1, 2)))
        out += [Participation(lab=lab.code) for lab in labs]
    if eu:
        out += [Participation(name=name, country=c) for name, c in region.foreign.some(rng, rng.randint(2, 6))]
        if rng.random() < 0.4:  # a foreign coordinator
            out.insert(0, out.pop())
    for part in out[1:]:
        part.role = ROLES.one(rng)
    out[0].role = "coordinator"
    shares = [0.0 if p.role == "associated" else rng.uniform(0.5, 1.5) * (2 if p.role == "coordinator" else 1)
              for p in out]
    for part, share in zip(out, shares, strict=True):
        part.contribution = round(project.budget * 0.7 * share / sum(shares), 2) if share else None
    return out


def long_tail(rng: random.Random, region: Region) -> None:
    """Members in no pole and no project join one project that already has a digital partner.

    Hubs take most project places, yet most members have been in something: only the isolated ones
    (weight 0) stay out. Joining projects that are already covered keeps the coverage gaps intact.
    """
    busy = {m.firm.number for ms in region.poles.values() for m in ms}
    busy |= {p.number for ps in region.projects.values() for pr in ps for p in pr.participants}
    digital = {m.number for m in region.active}
    covered = [pr for ps in region.projects.values() for pr in ps
               if any(p.number in digital for p in pr.participants)]
    needing: dict[str, list[Project]] = {}
    for pr in covered:
        for slug in pr.needs:
            needing.setdefault(slug, []).append(pr)
    for firm in region.active:
        if firm.number not in busy:
            pr = rng.choice([pr for slug in firm.offers for pr in needing.get(slug, ())] or covered)
            role = rng.choice(("partner", "subcontractor"))
            pr.participants.append(Participation(number=firm.number, role=role,
                                                 contribution=round(pr.budget * rng.uniform(0.02, 0.08), 2)))


def build_region(index: int, seed: int, numbers: Numbers) -> Region:
    rng = Rng(f"{seed}:region:{index}")
    ids = numbers.block(index)
    labs = make_labs(rng, index)
    members = [digital_member(rng, next(ids)) for _ in range(160 + rng.randint(0, 12))]
    for firm in rng.sample(members, len(members) // 10):  # isolated: no pole, no project, no partner
        firm.weight = 0.0
    active = [m for m in members if m.weight > 0]
    scarce_offers(rng, active)
    poles = memberships(rng, active, len(members), ids)
    members.sort(key=lambda m: m.name.casefold())
    region = Region(index, labs, members, poles, foreign_pool(rng))
    for p in POLES:
        region.projects[p.id] = [make_project(rng, region, p, n)
                                 for n in range(1, p.projects + rng.randint(1, 3))]
    long_tail(rng, region)
    region.programme = demo_programme.draw(
        Rng(f"{seed}:programme:{index}"), index, members,
        [demo_programme.PoleInfo(p.id, region.pole_name(p), p.sector, tuple(p.needs),
                                 tuple(m.firm for m in poles[p.id]))
         for p in POLES],
        [(pr.start, [part.number for part in pr.participants if part.number])
         for p in POLES for pr in region.projects[p.id]])
    return region


# -- Writing: each family of files with its own habits ----------------------------------------------------

MEMBER_COLUMNS = ("enterprise_number", "name", "website", "email", "phone", "street", "postcode", "city",
                  "country", "sector", "offers", "needs", "uses", "employees", "member_since")
COLUMNS = {
    "member": (*MEMBER_COLUMNS, "cluster"),
    "pole-member": (*MEMBER_COLUMNS, "member_until", "pole"),
    "project": ("project_id", "title", "acronym", "pole", "start_date", "end_date", "budget", "programme",
                "needs", "sector"),
    "participant": ("project_id", "enterprise_number", "lab_code", "participant_name", "country", "role",
                    "contribution"),
    "lab": ("lab_code", "name", "institution", "institution_enterprise_number", "institution_type",
            "expertise", "street", "postcode", "city"),
    "registry": ("pole_id", "name", "type", "domain"),
    "event": ("event_id", "title", "type", "date", "place", "target", "technologies"),
    "attendance": ("event_id", "enterprise_number", "organisation", "postcode", "city", "role"),
    "survey": ("enterprise_number", "organisation", "postcode", "city", "uses", "since"),
}
# Header aliases of docs/data-dictionary.md; "kind.column" overrides a column in one kind of table.
HEADERS_FR = {
    "enterprise_number": "Numéro d'entreprise", "name": "Dénomination", "website": "Site internet",
    "email": "E-mail", "phone": "Tél", "street": "Rue", "postcode": "CP", "city": "Commune",
    "country": "Pays", "sector": "Secteurs", "offers": "Technologies offertes",
    "needs": "Besoins technologiques", "employees": "Nombre d'employés", "member_since": "Membre depuis",
    "member_until": "Membre jusqu'au", "cluster": "Grappe", "pole": "Pôle", "project_id": "Identifiant",
    "title": "Intitulé", "acronym": "Acronyme", "start_date": "Date de début", "end_date": "Date de fin",
    "budget": "Coût total", "programme": "Appel", "project.needs": "Technologies nécessaires",
    "project.sector": "Secteur", "lab_code": "Code labo", "participant_name": "Partenaire", "role": "Rôle",
    "contribution": "Subside", "lab.name": "Nom du labo", "institution": "Institution de rattachement",
    "institution_enterprise_number": "Numéro d'entreprise de l'institution",
    "institution_type": "Type d'institution", "expertise": "Domaines d'expertise", "uses": "Outils numériques",
}
HEADERS_FR2 = {**HEADERS_FR, "enterprise_number": "N° d'entreprise", "name": "Raison sociale",
               "website": "Site web", "email": "Courriel", "phone": "Téléphone", "street": "Adresse",
               "postcode": "Code postal", "city": "Localité", "offers": "Offres", "needs": "Besoins",
               "employees": "Effectif", "member_since": "Date d'adhésion", "member_until": "Fin d'adhésion",
               "project_id": "Référence", "project.needs": "Besoins technologiques", "budget": "Montant",
               "uses": "Logiciels utilisés"}
HEADERS_EN = {
    "enterprise_number": "Enterprise number", "name": "Company name", "website": "Website",
    "email": "Email", "phone": "Phone", "street": "Street address", "postcode": "Postal code",
    "city": "City", "country": "Country", "sector": "Sectors", "offers": "Offers", "needs": "Needs",
    "employees": "Employees", "member_since": "Member since", "member_until": "Member until",
    "pole": "Pole", "project_id": "Project ID", "title": "Project title", "acronym": "Acronym",
    "start_date": "Start date", "end_date": "End date", "budget": "Total cost", "programme": "Programme",
    "project.needs": "Technologies", "project.sector": "Sector", "lab_code": "Lab",
    "participant_name": "Partner", "role": "Role", "contribution": "EC contribution", "uses": "Digital tools",
}
HEADERS_EN2 = {**HEADERS_EN, "enterprise_number": "VAT", "name": "Organisation", "website": "Web",
               "email": "Mail", "phone": "Tel", "street": "Address", "postcode": "Zip", "city": "Town",
               "sector": "Industry", "offers": "Skills", "needs": "Need", "employees": "Headcount",
               "member_since": "Joined", "member_until": "Until", "project_id": "Code", "budget": "Budget",
               "programme": "Funding", "contribution": "Contribution", "uses": "Tools used"}
ROLES_FR = {"coordinator": "coordinateur", "partner": "partenaire", "subcontractor": "sous-traitant",
            "associated": "associé", "speaker": "orateur", "host": "hôte"}
PROGRAMME_HEADERS = {
    "event_id": "Identifiant", "attendance.event_id": "Événement", "title": "Titre", "type": "Type",
    "date": "Date", "place": "Lieu", "target": "Cible", "technologies": "Thèmes",
    "enterprise_number": "N° d'entreprise", "organisation": "Entreprise", "postcode": "Code postal",
    "city": "Localité", "role": "Rôle", "uses": "Outils utilisés", "since": "Depuis",
}
EVENT_TYPES_FR = {"workshop": "Atelier", "club": "Club d'affaires", "ict-meets": "ICT meets",
                  "on-tour": "Visite d'entreprise", "networking": "Réseautage"}


@dataclass(frozen=True)
class Style:
    """How one family of files is kept: language, delimiter, encoding, spellings of dates and numbers."""

    headers: dict[str, str]
    lang: str = "fr"
    delimiter: str = ";"
    encoding: str = "utf-8"
    newline: str = "\n"
    dates: str = "%d/%m/%Y"
    amounts: str = "fr"  # fr 1 234,50 | eur 1.234,50 € | en 1234.50 | grouped 1,234.50
    numbers: tuple[str, ...] = ("dotted",)  # the first spelling dominates, the others slip in
    list_sep: str = ", "
    pole_by_name: bool = False
    year_only: bool = False  # member_since sometimes a bare year


PLAIN = Style({c: c for c in COLUMNS["registry"]})
LABS_STYLE = Style(HEADERS_FR)
MEMBERS_STYLE = Style(HEADERS_FR, encoding="utf-8-sig", newline="\r\n", numbers=("dotted", "compact"))
FAMILY_STYLE = {
    "biowin": Style(HEADERS_EN, "en", ",", dates="%Y-%m-%d", amounts="en", numbers=("vat", "dotted"),
                    list_sep="; ", pole_by_name=True),
    "greenwin": Style(HEADERS_EN2, "en", ",", dates="%Y-%m-%d", amounts="grouped",
                      numbers=("compact", "spaced"), list_sep=" | ", year_only=True),
    "logistics-in-wallonia": Style(HEADERS_FR, dates="%d-%m-%Y", pole_by_name=True),
    "mecatech": Style(HEADERS_FR, encoding="utf-8-sig", amounts="eur", numbers=("dotted", "compact")),
    "skywin": Style(HEADERS_EN, "en", ",", dates="%d.%m.%Y", amounts="en", numbers=("dotted", "old"),
                    pole_by_name=True),
    "wagralim": Style(HEADERS_FR2, encoding="cp1252", newline="\r\n", amounts="eur",
                      numbers=("dotted", "old"), pole_by_name=True),
}
FAMILY_FILES = {"wagralim": ("membres", "projets", "participants")}


def spell_number(number: str, how: str) -> str:
    digits = number.replace(".", "")
    return {"dotted": number, "compact": digits, "vat": f"BE{digits}", "old": digits[1:],
            "spaced": f"BE {digits[:4]} {digits[4:7]} {digits[7:]}"}[how]


def spell_amount(x: float, how: str) -> str:
    text = f"{x:,.2f}"
    if how == "fr":
        return text.replace(",", " ").replace(".", ",")
    if how == "eur":
        return text.replace(",", "_").replace(".", ",").replace("_", ".") + " €"
    return text if how == "grouped" else f"{x:.2f}"


class Table:
    """One table (a CSV file or an Excel sheet) written row by row in a family's style."""

    def __init__(self, style: Style, kind: str, vocab: tuple[Vocabulary, Vocabulary], rng: random.Random,
                 out: TextIO | None = None, sheet: Any = None) -> None:
        self.style, self.columns, self.vocab, self.rng, self.sheet = style, COLUMNS[kind], vocab, rng, sheet
        self.csv = csv.writer(out, delimiter=style.delimiter, lineterminator=style.newline) if out else None
        base = kind.split("-")[-1]
        self._append([style.headers.get(f"{base}.{c}") or style.headers[c] for c in self.columns])

    def _append(self, cells: list[Any]) -> None:
        if self.csv:
            self.csv.writerow(cells)
        else:
            self.sheet.append(cells)

    def write(self, record: dict[str, Any]) -> None:
        """Plain text (most cells) goes straight through; empty cells are None in Excel, '' in CSV."""
        empty = None if self.sheet is not None else ""
        self._append([v if type(v) is str and v else empty if v is None or v == "" else self.cell(c, v)
                      for c, v in zip(self.columns, map(record.get, self.columns), strict=True)])

    def cell(self, column: str, value: Any) -> Any:
        """A typed value as this family writes it; Excel keeps dates and amounts typed."""
        style, rng, excel = self.style, self.rng, self.sheet is not None
        if isinstance(value, Kbo):
            how = style.numbers[0] if rng.random() < 0.85 else rng.choice(style.numbers)
            return int(value.replace(".", "")) if excel and how == "old" else spell_number(value, how)
        if isinstance(value, Techs | Sectors):
            vocab = self.vocab[0] if isinstance(value, Techs) else self.vocab[1]
            labels = [vocab.label(s, style.lang, rng) for s in value]
            if isinstance(value, Techs) and rng.random() < FREE_TEXT_RATE:
                labels.append(FREE.one(rng))
            return ("\n" if excel else style.list_sep).join(labels)
        if excel:
            return value
        if isinstance(value, date):
            if style.year_only and column == "member_since" and rng.random() < 0.15:
                return str(value.year)
            return value.strftime(style.dates)
        return spell_amount(value, style.amounts) if isinstance(value, float) else str(value)


def firm_record(firm: Firm, country: str = "BE") -> dict[str, Any]:
    return {
        "enterprise_number": Kbo(firm.number), "name": firm.name, "website": firm.website,
        "email": firm.email, "phone": firm.phone, "street": firm.street, "postcode": firm.city.postcode,
        "city": firm.city.name, "country": country, "sector": Sectors(firm.sectors),
        "offers": Techs(firm.offers), "needs": Techs(firm.needs), "uses": Techs(firm.uses), "employees": firm.employees,
        "member_since": firm.since,
    }


class Writer:
    """Every demo file open at once; each region's rows are appended as soon as it is generated."""

    def __init__(self, out_dir: Path, scale: int, seed: int, vocab: tuple[Vocabulary, Vocabulary],
                 stack: ExitStack) -> None:
        self.out_dir, self.seed, self.vocab, self.stack = out_dir, seed, vocab, stack
        self.files: list[DemoFile] = []
        self.workbook: Any = openpyxl.Workbook(write_only=True) if scale == 1 else None
        self.registry = self._csv("poles-registry.csv", PLAIN, "registry", "poles", "poles") if scale > 1 else None
        self._curation()
        self.labs = self._csv("labs.csv", LABS_STYLE, "lab", "labs", "labs")
        self.members = self._csv("membres-ict.csv", MEMBERS_STYLE, "member", "members", "members")
        self.poles = {p.id: self._family(p) for p in POLES}
        style = Style(PROGRAMME_HEADERS)
        self.events, self.attendance = (self._table(style, k, n) for k, n in (("event", "evenements.csv"),
                                                                              ("attendance", "presences.csv")))
        self.files.append(DemoFile("events", "events", (out_dir / "evenements.csv", out_dir / "presences.csv")))
        self.survey = self._csv("enquete-adoption.csv", style, "survey", "adoption", "adoption")
        self._named: dict[str, str] = {}  # a name written for a firm known by name only -> that firm's number

    def _organisation(self, firm: Firm, by_name: bool) -> dict[str, Any]:
        """A firm in an attendance list or the survey: by its number, or by its name and place. By name only
        when no other firm was written under that name: at x1000 names repeat, and two firms named alike in one
        list would be one organisation to its loader (a duplicate answer, or one attendee twice)."""
        if by_name and self._named.setdefault(firm.name, firm.number) == firm.number:
            return {"organisation": firm.name, "postcode": firm.city.postcode, "city": firm.city.name}
        return {"enterprise_number": Kbo(firm.number)}

    def _table(self, style: Style, kind: str, name: str, sheet: Any = None) -> Table:
        """A table whose cell spellings come from their own seeded stream, apart from the data's."""
        out = None if sheet else self.stack.enter_context(
            (self.out_dir / name).open("w", encoding=style.encoding, newline=""))
        return Table(style, kind, self.vocab, Rng(f"{self.seed}:cells:{name}:{kind}"), out, sheet)

    def _csv(self, name: str, style: Style, kind: str, file_kind: str, source: str) -> Table:
        self.files.append(DemoFile(file_kind, source, (self.out_dir / name,)))
        return self._table(style, kind, name)

    def _curation(self) -> None:
        path = self.out_dir / "curation.csv"
        with path.open("w", encoding="utf-8", newline="") as out:
            csv.writer(out, delimiter=";", lineterminator="\n").writerows([("label", "concept", "note"),
                                                                          *CURATION])
        self.files.append(DemoFile("curation", "curation", (path,)))

    def _family(self, pole: Pole) -> tuple[Table, ...]:
        style, kinds = FAMILY_STYLE[pole.id], ("pole-member", "project", "participant")
        if pole.id == "skywin" and self.workbook is not None:
            sheets = [self.workbook.create_sheet(t) for t in ("Members", "Projects", "Participants")]
            self.files.append(DemoFile("poles", f"pole-{pole.id}", (self.out_dir / "skywin.xlsx",)))
            return tuple(self._table(style, k, "skywin.xlsx", s) for k, s in zip(kinds, sheets, strict=True))
        names = [f"{pole.id}-{n}.csv" for n in FAMILY_FILES.get(pole.id, ("members", "projects", "participants"))]
        self.files.append(DemoFile("poles", f"pole-{pole.id}", tuple(self.out_dir / n for n in names)))
        return tuple(self._table(style, k, n) for k, n in zip(kinds, names, strict=True))

    def region(self, region: Region) -> None:
        if self.registry and region.index > 1:  # region 1's poles and cluster are reference data
            for p in POLES:
                self.registry.write({"pole_id": region.pole_id(p), "name": region.pole_name(p), "type": "pole",
                                     "domain": Sectors((p.sector,))})
            self.registry.write({"pole_id": region.cluster, "name": f"ICT cluster R{region.index}",
                                 "type": "cluster", "domain": Sectors(("digital",))})
        for lab in region.labs:
            self.labs.write({
                "lab_code": lab.code, "name": lab.name, "institution": lab.institution,
                "institution_enterprise_number": lab.institution_number and Kbo(lab.institution_number),
                "institution_type": lab.kind, "expertise": Techs(lab.expertise), "street": lab.street,
                "postcode": lab.postcode, "city": lab.city})
        for firm in region.members:  # the country column is often left empty (BE by default)
            country = "BE" if firm.number[-1] in "0123456" else ""
            self.members.write({**firm_record(firm, country), "cluster": region.cluster})
        for p in POLES:
            self._pole(region, p, *self.poles[p.id])
        if region.programme is not None:
            self._programme(region.programme)

    def _programme(self, programme: Programme) -> None:
        for e in programme.events:
            self.events.write({"event_id": e.id, "title": e.title, "type": EVENT_TYPES_FR[e.kind], "date": e.day,
                               "place": e.place, "target": ", ".join(e.targets), "technologies": Techs(e.techs)})
            for a in e.attendees:
                self.attendance.write({"event_id": e.id, **self._organisation(a.firm, a.by_name),
                                       "role": ROLES_FR.get(a.role, "")})
        for answer in programme.survey:
            self.survey.write({**self._organisation(answer.firm, answer.by_name), "uses": Techs(answer.tools),
                               "since": answer.since})

    def _pole(self, region: Region, pole: Pole, members: Table, projects: Table, parts: Table) -> None:
        style, label = FAMILY_STYLE[pole.id], region.pole_id(pole)
        if style.pole_by_name:
            label = pole.in_file if region.index == 1 else region.pole_name(pole)
        for m in region.poles[pole.id]:
            members.write({**firm_record(m.firm), "member_since": m.since, "member_until": m.until,
                           "pole": label})
        for p in region.projects[pole.id]:
            projects.write({"project_id": p.id, "title": p.title, "acronym": p.acronym, "pole": label,
                            "start_date": p.start, "end_date": p.end, "budget": p.budget,
                            "programme": p.programme, "needs": Techs(p.needs), "sector": Sectors((p.sector,))})
            for part in p.participants:
                parts.write({"project_id": p.id, "enterprise_number": part.number and Kbo(part.number),
                             "lab_code": part.lab, "participant_name": part.name, "country": part.country,
                             "role": ROLES_FR[part.role] if style.lang == "fr" else part.role,
                             "contribution": part.contribution})

    def close(self) -> None:
        """Save the workbook with fixed timestamps, so that the same seed gives the same bytes."""
        if self.workbook is None:
            return
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(self.out_dir / "skywin.xlsx", "w") as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "docProps/core.xml":
                    data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2026-01-01T00:00:00Z", data)
                dst.writestr(zipfile.ZipInfo(info.filename, (2026, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def check(tech: Vocabulary, sectors: Vocabulary) -> None:
    """Fail before writing anything if the schemes lack what the demo draws from, or would spoil its gaps."""
    offered = {s for _, slugs in PROFILES.values() for s in slugs} | set(SIDELINES)
    needed = {s for p in POLES for s in p.needs} | set(SOFT_NEEDS) | set(SCARCE)
    tech.require(offered | needed | set(demo_programme.TOOLS) | {s for _, slugs in TOPICS.values() for s in slugs},
                 "technologies")
    sectors.require({p.sector for p in POLES} | set(MARKETS) | {"digital"}, "sectors")
    if known := [t for t in FREE_TEXT if normalise(t) in tech.known]:
        raise ValueError(f"free-text labels the taxonomy now knows: {known}")
    if clash := sorted(offered & set().union(*(tech.narrower(s) for s in SCARCE))):
        raise ValueError(f"scarce technologies (or narrower ones) in the offer profiles: {clash}")


def generate(out_dir: Path, scale: int = 1, seed: int = 2026) -> list[DemoFile]:
    """Write the demo ecosystem into out_dir; return its sources in load order."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 1 and {MAX_SCALE}, not {scale}")
    vocab = (Vocabulary.read(TECHNOLOGIES_TTL, str(TECH)), Vocabulary.read(REFERENCE_TTL, str(SECTOR)))
    check(*vocab)
    out_dir.mkdir(parents=True, exist_ok=True)
    numbers = Numbers(seed)
    with ExitStack() as stack:
        writer = Writer(out_dir, scale, seed, vocab, stack)
        for index in range(1, scale + 1):
            writer.region(build_region(index, seed, numbers))
        writer.close()
    return writer.files
