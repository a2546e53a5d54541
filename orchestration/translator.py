"""How dbt nodes become Dagster assets: keys, groups, descriptions, owners and tags.

Sources map onto the ingestion assets' keys (`raw/<entity>`), so the graph runs straight from
a landing-zone file to a KPI mart. Marts carry a freshness policy: they are rebuilt every night,
so one not materialized for 26 hours (a night plus slack) means a refresh was missed or failed.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings

from expectations.dbt_models import layer_of

MART_FRESHNESS = dg.FreshnessPolicy.time_window(fail_window=timedelta(hours=26))
LAYER_OWNERS = {"staging": "team:data-engineering", "intermediate": "team:data-engineering", "marts": "team:analytics"}


def source_asset_key(props: Mapping[str, Any]) -> dg.AssetKey:
    """A dbt source table `raw.<entity>` is the ingestion asset `raw/<entity>`."""
    return dg.AssetKey(["raw", props["name"]])


def model_layer(props: Mapping[str, Any]) -> str:
    """The layer (staging, intermediate, marts, analysis) is the group and the key's first part."""
    return layer_of(props.get("fqn", []))


def model_asset_key(props: Mapping[str, Any]) -> dg.AssetKey:
    return dg.AssetKey([model_layer(props), props["name"]])


class CrmDbtTranslator(DagsterDbtTranslator):
    def __init__(self) -> None:
        super().__init__(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return source_asset_key(dbt_resource_props)
        return model_asset_key(dbt_resource_props)

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project) -> dg.AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        if props["resource_type"] == "model" and model_layer(props) == "marts":
            return spec.replace_attributes(freshness_policy=MART_FRESHNESS)
        return spec

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return model_layer(dbt_resource_props)

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str]:
        return [LAYER_OWNERS.get(model_layer(dbt_resource_props), "team:analytics")]

    def get_tags(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, str]:
        return {"layer": model_layer(dbt_resource_props)}
