"""Deterministic sample exports for every entity contract: `python -m ingestion.generate`.

A small simulated business (customers, leads, deals, orders, service, web, social, cashflow)
written as monthly delivery files in the two export profiles the loader understands. Same
arguments, same bytes.
"""
from .run import DEFAULT_END, DEFAULT_START, generate, simulate
from .scenario_plan import manifest_path
from .sizes import SIZES

__all__ = ["DEFAULT_END", "DEFAULT_START", "SIZES", "generate", "manifest_path", "simulate"]
