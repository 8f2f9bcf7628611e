{#- Test support: a normalized definition for the fixture metric models
    (models/marts/metrics/fixtures/), reading metric_fixture_facts. Same keys as
    the registry's normalized definitions (docs/metrics_spec.md), so the unit
    tests run the production macros on hand-made rows. -#}
{% macro cxux_metric_fixture_definition(overrides) -%}
    {%- set definition = {
        'name': none, 'type': none, 'domain': 'ux', 'status': 'draft',
        'model': 'metric_fixture_facts', 'measure': none, 'condition': none,
        'filter': none, 'time': 'occurred_at', 'grains': ['month'], 'dimensions': [],
        'crossings': [], 'share_of_total': false, 'unique_within': none,
        'percentile': none, 'method': none, 'scale': none, 'cut': none,
        'promoter_min': none, 'detractor_max': none, 't': none,
        'numerator': none, 'denominator': none, 'numerator_metric': none, 'denominator_metric': none,
        'expression': none, 'window_days': none, 'agg': none,
        'base_metric': none, 'comparison': none, 'change': none,
        'interval': 'none', 'unit': 'count', 'format': 'number', 'direction': 'higher_is_better',
        'target': [], 'thresholds': none, 'min_sample': none, 'confidence': 0.95,
        'depends_on': [],
    } -%}
    {%- do definition.update(overrides) -%}
    {{ return(definition) }}
{%- endmacro %}
