# %% [markdown]
# # gwr in a notebook
#
# Facts, targets and tracked targets of Chinese government work reports as
# Arrow tables, straight into pandas or polars. Run it cell by cell (VS Code,
# Jupyter with jupytext) or whole: `python python/examples/notebook.py [DIR]`.

# %%
import sys
import tempfile

import gwr

reports = sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/seeds"

# %% [markdown]
# ## Documents: metadata and outline

# %%
docs = gwr.parse(reports)
for d in docs:
    print(d.file, d.part, d.doc_type, d.region, d.plan_year, len(d.outline), "sections")
print(docs[0].outline[0].to_dict())

# %% [markdown]
# ## Facts as a pandas DataFrame

# %%
facts = gwr.facts(reports)  # a pyarrow.Table, built in Rust
df = facts.to_pandas()
print(df.shape)
gdp = df[(df.metric_id == "gdp") & df.change_type.notna()]
print(gdp[["region", "year", "kind", "change_value", "evidence"]].head(10).to_string())

# %% [markdown]
# ## The same table in polars

# %%
try:
    import polars as pl
except ImportError:
    pl = None
if pl is not None:
    frame = pl.from_arrow(facts)
    print(frame.group_by("kind").len().sort("kind"))

# %% [markdown]
# ## Targets and what became of them

# %%
print(gwr.targets(reports, metric="gdp").to_pandas()[["file", "year", "change_value", "comparator", "wording"]].head())
print(gwr.track(reports).to_pandas()[["region", "metric_id", "year", "target", "outcome", "verdict"]].head())

# %% [markdown]
# ## A corpus store: search and SQL

# %%
with tempfile.TemporaryDirectory() as tmp, gwr.Store(tmp) as store:
    print(store.ingest(reports, progress=False))
    for hit in store.search("营商环境", limit=3):
        print(hit.file, hit.role, hit.snippet[:60])
    print(store.sql("SELECT kind, COUNT(*) AS n FROM facts GROUP BY kind").to_pandas())
    store.export("facts", f"{tmp}/facts.parquet")
