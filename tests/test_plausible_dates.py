"""Plausible dates come from settings: history from any year after the floor loads (an order book
from 1997), an older date is a parse error, and events stay bounded against the future."""
from __future__ import annotations

import datetime as dt

import pytest

from expectations.dbt_models import ModelColumn, ModelMeta
from expectations.warehouse_suites import staging_configs
from ingestion.contract import load_contracts
from ingestion.settings import load_settings

ORDERS = ModelMeta("stg_crm__orders", "staging", "orders",
                   {"order_date": ModelColumn("order_date"), "ordered_at": ModelColumn("ordered_at"),
                    "end_date": ModelColumn("end_date")})
TODAY = dt.date(2026, 12, 7)


def windows(earliest: dt.date) -> dict[str, tuple[str, str]]:
    configs = staging_configs(ORDERS, load_contracts()["orders"], TODAY, earliest)
    return {c["kwargs"]["column"]: (c["kwargs"]["min_value"], c["kwargs"]["max_value"])
            for c in configs if c["type"] == "expect_column_values_to_be_between"}


def test_the_default_floor_admits_history_back_to_1970(tmp_path):
    earliest = load_settings({"CRM_DATA_DIR": str(tmp_path)}).earliest_date
    assert earliest == dt.date(1970, 1, 1)
    assert windows(earliest) == {"order_date": ("1970-01-01", "2026-12-14"),
                                 "ordered_at": ("1970-01-01T00:00:00", "2026-12-14T00:00:00"),
                                 "end_date": ("1970-01-01", "2036-12-14")}


def test_the_floor_is_a_setting(tmp_path):
    earliest = load_settings({"CRM_DATA_DIR": str(tmp_path), "CRM_EARLIEST_DATE": "1995-07-01"}).earliest_date
    assert windows(earliest)["order_date"] == ("1995-07-01", "2026-12-14")


def test_a_malformed_floor_says_how_to_write_it(tmp_path):
    with pytest.raises(ValueError, match=r"CRM_EARLIEST_DATE='01.01.1990' is not an ISO date: write it as yyyy-mm-dd"):
        load_settings({"CRM_DATA_DIR": str(tmp_path), "CRM_EARLIEST_DATE": "01.01.1990"})
