"""The demo data set, loaded by `manage.py load_demo` from `data/demo/*.toml`.

It lives on the roof because it fills every domain: `reference` (units, fields, clusters,
accounts), `plans` (programmes, commune plans, progress reports), `ntm` (criteria work and
ratings) and `inspections` (campaigns, visits, directives). Every loader is idempotent.
"""
