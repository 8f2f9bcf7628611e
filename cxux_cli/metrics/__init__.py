"""The declarative metric layer: load, validate, compile and report metric definitions.

Modules (importable without Click; none imports dbt or Great Expectations at top):
spec (fields, types, defaults, JSON Schema), loader (YAML with positions),
expressions (sqlglot checks), manifest (dbt manifest columns), validate,
compiler (registry and generated models), catalog (list/show/docs), query,
diff, export. `commands` is the thin Click layer.
"""
