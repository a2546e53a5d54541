"""Every BI recipe of the README that runs without a BI server works with DuckDB 1.4 (the DuckDB
of BI drivers) on a real published serving copy: the DuckDB SQL, the Python recipe, Superset's
duckdb-engine URI with its engine parameters, unqualified mart names and the Parquet files.

The recipes are read from the README's table, so a recipe changed there is the one tested. Metabase,
JDBC and ODBC need their drivers and are not run here.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from ingestion.settings import PROJECT_DIR
from tests.duckdb1 import duckdb1_python  # noqa: F401  (a session fixture)
from tests.privacy_pipeline import clean_build  # noqa: F401  (a session fixture)

pytestmark = pytest.mark.slow

README_PATH = "data/serving/serving.duckdb"
SUPERSET_PATH = "/abs/path/data/serving/serving.duckdb"

# Runs in the DuckDB 1.4 venv: argv = serving file, JSON of the recipes; prints JSON results.
RUN_RECIPES = r"""
import json, sys
import duckdb, sqlalchemy
serving, recipes = sys.argv[1], json.loads(sys.argv[2])


def attempt(fn):
    try:
        return fn()
    except Exception as exc:  # a failing recipe is a result, shown by the test that reads it
        return f"{type(exc).__name__}: {exc}"


def python_recipe():
    scope = {"duckdb": duckdb}  # the recipe presumes `import duckdb`
    exec(recipes["python"], scope)
    return [len(scope["df"]), list(scope["df"].columns)]


out = {"version": duckdb.__version__}
with duckdb.connect(serving, read_only=True) as con:
    out["cli"] = attempt(lambda: len(con.execute(recipes["cli_sql"]).fetchall()))
    marts = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                       "WHERE table_schema = 'marts' AND table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
    out["marts"] = {m: con.execute(f'SELECT count(*) FROM marts."{m}"').fetchall()[0][0] for m in marts}
    out["unqualified"] = {m: attempt(lambda: con.execute(f'SELECT count(*) FROM "{m}"').fetchall()[0][0]) for m in marts}
out["python"] = attempt(python_recipe)
out["chained"] = attempt(lambda: duckdb.connect(serving, read_only=True).sql("FROM marts.kpi_monthly").df() is None)
engine = sqlalchemy.create_engine(recipes["superset_uri"], **recipes["superset_params"])
with engine.connect() as con:
    out["superset"] = attempt(lambda: con.execute(sqlalchemy.text("SELECT count(*) FROM fct_orders")).scalar())
    out["superset_writes"] = attempt(lambda: con.execute(sqlalchemy.text("CREATE TABLE written (i INTEGER)")) and "written")
out["superset_views"] = sorted(sqlalchemy.inspect(engine).get_view_names(schema="main"))
out["parquet"] = {m: attempt(lambda: duckdb.sql(f"SELECT count(*) FROM read_parquet('{recipes['parquet']}/{m}.parquet')").fetchall()[0][0])
                  for m in out["marts"]}
print(json.dumps(out))
"""


def _cell(table: list[str], client: str) -> str:
    [row] = [line for line in table if line.startswith(f"| {client}")]
    return row.split(" | ", 1)[1]


def readme_recipes(serving: Path) -> dict:
    """The recipes of the README's BI table, pointed at `serving`."""
    text = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## BI access"):].split("\n## ", 1)[0].splitlines()
    cli = re.findall(r"`([^`]*)`", _cell(table, "DuckDB CLI"))
    python = next(code for code in re.findall(r"`([^`]*)`", _cell(table, "Python")) if "duckdb.connect" in code)
    superset = _cell(table, "Superset")
    uri = re.search(r"URI `([^`]*)`", superset).group(1)
    params = json.loads(re.search(r"Engine parameters `([^`]*)`", superset).group(1))
    parquet = re.findall(r"`([^`]*)`", _cell(table, "Parquet readers"))[0]
    assert cli[0] == f"duckdb -readonly {README_PATH}" and uri.endswith(SUPERSET_PATH), "the recipes' paths moved"
    return {"cli_sql": cli[1], "python": python.replace(README_PATH, str(serving)),
            "superset_uri": uri.replace(SUPERSET_PATH, str(serving)), "superset_params": params,
            "parquet": str(serving.parent / Path(parquet).parent.relative_to("data/serving"))}


@pytest.fixture(scope="module")
def ran(clean_build, duckdb1_python) -> dict:  # noqa: F811
    serving = clean_build / "serving" / "serving.duckdb"
    recipes = readme_recipes(serving)
    done = subprocess.run([str(duckdb1_python), "-c", RUN_RECIPES, str(serving), json.dumps(recipes)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_recipes_run_on_duckdb_1_4(ran, clean_build):  # noqa: F811
    with duckdb.connect(str(clean_build / "serving" / "serving.duckdb"), read_only=True) as con:
        kpi_monthly = con.execute("SELECT count(*) FROM marts.kpi_monthly").fetchall()[0][0]
        columns = [r[0] for r in con.execute("DESCRIBE marts.kpi_monthly").fetchall()]
    assert ran["version"].startswith("1.4.")
    assert ran["cli"] == kpi_monthly > 0
    assert ran["python"] == [kpi_monthly, columns]


def test_the_chained_python_form_the_readme_warns_of_really_fails_on_duckdb_1_4(ran):
    assert "Connection has already been closed" in ran["chained"]


def test_every_mart_is_reachable_without_a_schema_and_as_parquet(ran):
    assert ran["marts"] and "fct_orders" in ran["marts"]
    assert ran["unqualified"] == ran["marts"] == ran["parquet"]


def test_superset_reads_unqualified_names_read_only(ran):
    assert ran["superset"] == ran["marts"]["fct_orders"]
    assert ran["superset_views"] == sorted(ran["marts"])
    assert "read-only" in ran["superset_writes"].lower(), ran["superset_writes"]
