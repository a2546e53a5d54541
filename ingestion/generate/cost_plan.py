"""What the company spends money on: recurring monthly costs and occasional ones, with the
vendor that is paid. Amounts are per month at 2,000 customers and scale with the customer base.
"""
from __future__ import annotations

# (category, description, vendor, day of month, EUR per month at 2,000 customers)
MONTHLY = (
    ("personnel", "Gehälter {m}", "Gehaltsabrechnung (Sammelüberweisung)", 27, 330000),
    ("personnel", "Sozialversicherungsbeiträge {m}", "AOK Plus / Techniker Krankenkasse", 25, 68000),
    ("operations", "Miete Büro & Lager – {m}", "Immobilien Großmann KG", 1, 16500),
    ("operations", "Strom & Gas {m}", "Stadtwerke Leipzig GmbH", 15, 2800),
    ("it", "Microsoft 365 Lizenzen {m}", "Microsoft Ireland Operations Ltd.", 5, 1900),
    ("it", "Hosting & Cloud {m}", "Amazon Web Services EMEA SARL", 3, 6400),
    ("it", "CRM-Lizenz {m}", "CRM Software GmbH", 5, 2200),
    ("marketing", "Google Ads {m}", "Google Ireland Ltd.", 3, 9000),
    ("marketing", "Social Ads (Meta) {m}", "Meta Platforms Ireland Ltd.", 4, 4500),
    ("service", "Servicepartner Außendienst {m}", "Technikservice Süß & Söhne GmbH", 15, 14000),
    ("service", "Callcenter-Dienstleister {m}", "Dialog Callcenter Köln GmbH", 10, 8500),
    ("sales", "Reisekosten Vertrieb {m}", "Vertrieb Reisekostenabrechnung", 20, 5200),
)
AD_HOC = (
    ("operations", "Büromaterial & Druckerpapier", "Büroversand Müller GmbH", 150, 900),
    ("operations", "Reparatur Lieferwagen", "Autohaus König GmbH", 400, 3500),
    ("operations", "Ersatzteile Werkstatt", "Ersatzteil-Großhandel Jäger KG", 200, 2500),
    ("sales", "Bewirtung Kundentermin", "Restaurant Zum Weißen Rössl", 80, 450),
    ("sales", "Messestand Internorga Hamburg", "Hamburg Messe und Congress GmbH", 6000, 18000),
    ("service", "Schulung Servicetechniker", "Akademie für Kältetechnik e.V.", 800, 2400),
    ("it", "Notebook für Außendienst", "Computerhaus Böhm GmbH", 900, 1800),
    ("personnel", "Steuerberatung Lohnbuchhaltung", "Kanzlei Schäfer & Kollegen", 600, 1400),
)
