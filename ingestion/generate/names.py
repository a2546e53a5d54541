"""German people and company names, e-mail addresses and phone numbers.

Real German spelling (umlauts, ß, `&` in company names) is deliberate: it is what makes the
Windows-1252 exports and CSV quoting matter. Every character here exists in Windows-1252.
"""
from __future__ import annotations

import random
import re

FIRST_NAMES = (
    "Jürgen", "Jörg", "Björn", "Sören", "Günter", "Anna", "Lena", "Sophie", "Käthe", "Marie", "Lukas", "Jonas",
    "Felix", "Maximilian", "Paul", "Leon", "Finn", "Mia", "Emma", "Hannah", "Lea", "Laura", "Julia", "Sarah",
    "Katharina", "Thomas", "Michael", "Andreas", "Stefan", "Christian", "Markus", "Matthias", "Tobias", "Sabine",
    "Petra", "Monika", "Claudia", "Ute", "Birgit", "Doris", "Özlem", "Zeynep", "Renée", "José", "Heike", "Uwe",
    "Frank", "Dieter", "Bärbel", "Ömer", "Niklas", "Jana", "Tim", "Nele", "Ralf", "Gisela",
)
LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Köhler", "Herrmann", "König", "Walter", "Huber", "Kaiser", "Fuchs", "Peters", "Scholz",
    "Möller", "Weiß", "Jung", "Hahn", "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Roth",
    "Lorenz", "Baumann", "Albrecht", "Böhm", "Winter", "Krämer", "Vogt", "Jäger", "Sommer", "Groß", "Seidel",
    "Brandt", "Haas", "Schreiber", "Dietrich", "Ziegler", "Kühn", "Engel", "Horn", "Voigt", "Pfeiffer",
    "Öztürk", "Yilmaz", "Nowak", "Kowalski", "Straßburger", "Großmann", "Süßmann",
)
# Company name patterns by industry; {l} and {m} are surnames, {c} a city.
COMPANY_PATTERNS = {
    "Gastronomie": ("Café {l}", "Restaurant Zum {m}", "Bäckerei {l} GmbH", "Konditorei {l} & Söhne"),
    "Hotellerie": ("Hotel {l}hof GmbH", "Landgasthof {l}", "Hotel Am Markt {c} GmbH"),
    "Büro & Verwaltung": ("{l} & {m} Steuerberater PartG", "{l} Immobilien GmbH", "Kanzlei {l} & Kollegen",
                          "{l}, {m} & Partner mbB"),
    "Gesundheitswesen": ("Praxis Dr. {l}", "Zahnarztpraxis {l} & {m}", "Pflegedienst {l} gGmbH"),
    "Einzelhandel": ("{l} & Söhne GmbH", "Feinkost {l} e.K.", "Kaufhaus {l} GmbH & Co. KG"),
    "Handwerk": ("{l} Haustechnik GmbH", "Tischlerei {l}", "Elektro {l} & {m} OHG"),
    "Industrie": ("{l} Maschinenbau AG", "{l} Präzisionstechnik GmbH", "{c}er Stahlwerk {l} KG"),
    "IT & Software": ("{l} IT-Lösungen GmbH", "{m} & {l} Software AG", "Datenwerk {c} GmbH"),
}
INDUSTRIES = tuple(COMPANY_PATTERNS)
EMAIL_DOMAINS = ("web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de", "outlook.de", "freenet.de")
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "é": "e", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


def fold(text: str) -> str:
    """ASCII form for e-mail addresses, domains and UTM slugs (`Müller` -> `mueller`)."""
    return text.translate(_FOLD).lower()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def company(rng: random.Random, industry: str, city: str) -> str:
    pattern = rng.choice(COMPANY_PATTERNS[industry])
    return pattern.format(l=rng.choice(LAST_NAMES), m=rng.choice(LAST_NAMES), c=city)


def company_domain(name: str, number: int) -> str:
    words = [w for w in slug(name).split("-") if w not in ("gmbh", "ag", "kg", "co", "ohg", "e", "k", "partg", "ggmbh", "mbb")]
    return "-".join(words[:2]) + (f"{number % 100}" if number % 3 == 0 else "") + ".de"


def private_email(rng: random.Random, first: str, last: str, number: int) -> str:
    """Unique per customer number: real address books contain many `thomas.mueller`s."""
    local = f"{fold(first)}.{fold(last)}" if rng.random() < 0.7 else f"{fold(first)[0]}{fold(last)}"
    return f"{slug(local).replace('-', '.')}{number}@{rng.choice(EMAIL_DOMAINS)}"


def phone(rng: random.Random, area_code: str) -> str:
    return f"+49 {area_code} {rng.randint(100000, 9999999)}"
