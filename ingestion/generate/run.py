"""The simulation: builds the world, then walks the window day by day and lets every part of the
business act on that day, writing its records as it goes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .aftersales import Aftersales
from .bank import Bank
from .calendar import Demand, growth, season
from .campaigns import lift_by_day, plan_campaigns
from .clock import days
from .costs import Costs
from .customers import Customers
from .deals import Deals
from .fx import Fx
from .incident import Incident
from .leads import Leads
from .marketing import Marketing
from .orders import Orders
from .planted_complaints import PlantedComplaints
from .planted_traffic import PlantedTraffic
from .plants import Plants
from .population import Population
from .rand import stream
from .scenario_plan import export_end, plant_months, write_manifest
from .scenarios import chosen
from .service import Service
from .sizes import customers_for
from .social import Social
from .subscriptions import Subscriptions, plan_contracts
from .surveys import Surveys
from .web import Web
from .world import build_world
from .delivery_file import remove_previous
from .writers import Deliveries

DEFAULT_START = date(2024, 1, 1)
DEFAULT_END = date(2025, 12, 31)


@dataclass(frozen=True)
class Summary:
    rows: dict[str, int]
    files: dict[str, int]
    manifest: Path | None = None


def simulate(out: Path, seed: int, customers: int | None, start: date, end: date, size: str,
             scenarios: list[str] = (), scenario_month: date | None = None) -> Summary:
    """Generate everything, with the planted `scenarios`, and return rows and files per entity."""
    count = customers_for(size, customers)
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    out = Path(out)
    planted = chosen(list(scenarios))
    last = export_end(planted, scenario_month, end)
    plants = Plants(plant_months(planted, scenario_month, start, end), last)
    remove_previous(out)
    scale = count / 2000
    incident = Incident(end)
    campaigns = plan_campaigns(stream(seed, "campaigns"), start, end, scale)
    lift = lift_by_day(campaigns)
    world = build_world(stream(seed, "world"), count, start, end,
                        lambda d: season(d) * growth(d, start) * (1.0 + lift.get(d, 0.0)), incident)
    fx = Fx(stream(seed, "fx"), start, end, history_from=min((c.created_day for c in world.customers), default=start))
    contracts = plan_contracts(stream(seed, "contracts"), world.customers, fx, start, end)
    deliveries = Deliveries(out, start, last)
    bank = Bank(stream(seed, "bank"), deliveries)
    costs = Costs(stream(seed, "costs"), deliveries, bank, scale, start, end, plants)
    surveys = Surveys(stream(seed, "surveys"), deliveries, incident, plants)
    service = Service(stream(seed, "service"), deliveries, incident, surveys, plants)
    complaints = PlantedComplaints(seed, deliveries, incident, plants)
    social = Social(stream(seed, "social"), deliveries, campaigns, scale)
    web = Web(stream(seed, "web"), deliveries, campaigns, social, count, last)
    traffic = PlantedTraffic(seed, deliveries, web, plants)
    aftersales = Aftersales(stream(seed, "aftersales"), deliveries, incident, service, bank, costs)
    orders = Orders(stream(seed, "orders"), deliveries, world, fx, incident, aftersales, web, bank, plants)
    deals = Deals(stream(seed, "deals"), deliveries, orders, fx, incident, costs)
    leads = Leads(stream(seed, "leads"), deliveries, world, deals, start, end)
    accounts = Customers(stream(seed, "customers"), deliveries, world, start)
    marketing = Marketing(stream(seed, "marketing"), deliveries, campaigns, start, end, web, costs)
    subscriptions = Subscriptions(deliveries, bank, contracts, start)
    population = Population(world, start)
    demand = Demand(start)
    try:
        for day in days(start, end):
            deliveries.advance(day)
            population.advance(day)
            demand.set_day(day, lift.get(day, 0.0))
            fx.day(day, deliveries)
            accounts.day(day)
            leads.day(day, demand)
            marketing.day(day, population)
            deals.day(day, population)
            orders.day(day, demand, population)
            subscriptions.day(day)
            service.day(day, population)
            complaints.day(day, population)
            surveys.day(day, population)
            web.day(day, demand, population)
            traffic.day(day, demand)
            social.day(day)
            costs.day(day)
    finally:
        deliveries.close()
    path = write_manifest(out, plants.months, seed, start, last)
    return Summary(dict(deliveries.rows), dict(deliveries.files), path)


def generate(out: Path, seed: int = 42, customers: int | None = None, start: date = DEFAULT_START,
             end: date = DEFAULT_END, size: str = "default", scenarios: list[str] = (),
             scenario_month: date | None = None) -> dict[str, int]:
    """Write sample exports of every contract entity under `out`; returns rows per entity."""
    return simulate(out, seed, customers, start, end, size, scenarios, scenario_month).rows
