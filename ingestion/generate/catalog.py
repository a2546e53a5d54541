"""The company being simulated: a German maker of coffee machines selling to offices,
gastronomy and households. Products, regions, sales reps and service agents live here so every
module draws from the same small, stable vocabulary.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Product:
    product_id: str
    name: str
    category: str
    list_price: Decimal
    returnable: bool = True


def _products(category: str, prefix: str, items, returnable: bool = True) -> list[Product]:
    return [Product(f"{prefix}{i + 1:02d}", name, category, Decimal(price), returnable) for i, (name, price) in enumerate(items)]


PRODUCTS: tuple[Product, ...] = tuple(
    _products("Geräte", "P1", [("Kaffeevollautomat Classic", "899.00"), ("Kaffeevollautomat Pro", "1899.00"),
                                ("Siebträger Espresso", "1299.00"), ("Bürovollautomat XL", "4990.00"),
                                ("Milchaufschäumer", "149.00")])
    + _products("Zubehör", "P2", [("Milchbehälter 1 l", "39.00"), ("Tassenwärmer", "129.00"), ("Entkalker-Set", "19.90"),
                                  ("Wasserfilter 3er", "29.90"), ("Reinigungstabletten", "14.90")])
    + _products("Verbrauchsmaterial", "P3", [("Espressobohnen 1 kg", "18.90"), ("Café Crème 1 kg", "16.90"),
                                             ("Bio-Röstung 500 g", "12.50"), ("Hafermilch Barista 6×1 l", "17.94"),
                                             ("Kakao-Pulver 1 kg", "11.90")])
    + _products("Software", "P4", [("Flottenmanager App (Jahr)", "240.00"), ("Abrechnungsmodul", "480.00"),
                                   ("Telemetrie-Schnittstelle", "990.00")], returnable=False)
    + _products("Service", "P5", [("Wartung Basis (Monat)", "29.00"), ("Wartung Premium (Monat)", "79.00"),
                                  ("Vor-Ort-Reparatur", "189.00"), ("Installation", "149.00"),
                                  ("Leihgerät (Woche)", "59.00")], returnable=False)
    + _products("Schulungen", "P6", [("Barista-Grundkurs", "249.00"), ("Latte-Art-Workshop", "179.00"),
                                     ("Hygieneschulung", "129.00"), ("Online-Schulung Bedienung", "49.00"),
                                     ("Inhouse-Training", "1490.00")], returnable=False)
)
CATEGORIES = tuple(dict.fromkeys(p.category for p in PRODUCTS))
# How often each segment buys from each category (households mostly buy beans and accessories).
CATEGORY_WEIGHTS = {
    "B2B": {"Geräte": 6, "Zubehör": 18, "Verbrauchsmaterial": 50, "Software": 6, "Service": 12, "Schulungen": 8},
    "B2C": {"Geräte": 8, "Zubehör": 25, "Verbrauchsmaterial": 58, "Software": 0, "Service": 5, "Schulungen": 4},
}
# Subscriptions a contract can be for, with their monthly fee.
SUBSCRIPTIONS = {
    "P502": Decimal("79.00"), "P501": Decimal("29.00"), "P401": Decimal("20.00"), "P303": Decimal("45.00"),
}


@dataclass(frozen=True)
class Region:
    name: str
    weight: int
    cities: tuple[tuple[str, str], ...]  # (city, phone area code)


REGIONS = (
    Region("Nord", 15, (("Hamburg", "40"), ("Bremen", "421"), ("Kiel", "431"), ("Hannover", "511"))),
    Region("Süd", 22, (("München", "89"), ("Nürnberg", "911"), ("Augsburg", "821"), ("Regensburg", "941"))),
    Region("West", 24, (("Köln", "221"), ("Düsseldorf", "211"), ("Dortmund", "231"), ("Essen", "201"))),
    Region("Ost", 16, (("Leipzig", "341"), ("Dresden", "351"), ("Erfurt", "361"), ("Magdeburg", "391"))),
    Region("Mitte", 11, (("Frankfurt", "69"), ("Kassel", "561"), ("Wiesbaden", "611"))),
    Region("Südwest", 12, (("Stuttgart", "711"), ("Karlsruhe", "721"), ("Freiburg", "761"), ("Mannheim", "621"))),
)
REGION_BY_NAME = {r.name: r for r in REGIONS}

ACQUISITION_CHANNELS = {
    "B2B": {"organic": 14, "paid_search": 12, "social": 6, "email": 10, "referral": 20, "partner": 20, "trade_fair": 18},
    "B2C": {"organic": 30, "paid_search": 26, "social": 20, "email": 10, "referral": 10, "partner": 4, "trade_fair": 0},
}

# Sales reps by the regions they own; win-rate skill differs (one rep closes noticeably less).
SALES_REPS = {
    "Katrin Böhm": ("Nord", 1.0), "Matthias Krüger": ("Süd", 1.1), "Sebastian Weiß": ("Süd", 0.95),
    "Julia Hoffmann": ("West", 1.05), "Stefan Schäfer": ("West", 0.7), "Anja Lorenz": ("Ost", 1.0),
    "Markus Günther": ("Mitte", 1.0), "Nicole Jäger": ("Südwest", 1.05),
}
# Service agents and how fast they resolve tickets (a factor on resolution time).
SERVICE_AGENTS = {
    "Lena Fuchs": 0.8, "Tobias Köhler": 1.0, "Sabine Groß": 0.9, "Deniz Aydin": 1.0,
    "Jörg Baumann": 1.6, "Melanie Schröder": 1.1,
}
CURRENCIES = {"EUR": 95, "CHF": 3, "USD": 2}
