"""`python -m kpis`: regenerate the dbt files that come from kpis/registry.yml."""
from kpis.generate import write_all

changed = write_all()
print("\n".join(f"written {path}" for path in changed) or "generated files are up to date")
