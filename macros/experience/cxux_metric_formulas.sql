{#- The value formulas of the nps and top_box (proportion) metric types, as macros
    over counts, for consumers that aggregate at their own grain (the experience
    marts). They are character for character the `computed` value expressions of
    default__cxux_metric_nps and cxux_metric_share (macros/metrics/cxux_metric_types.sql);
    they live here because the metric layer belongs to another change in flight
    (issue 17) and should move to macros/metrics/ with those macros calling them.
    Intervals are the metric layer's own macros (cxux_nps_bound, cxux_proportion_bound). -#}

{#- NPS on the -100..100 scale: 100 x (promoters - detractors) / n, passives in n;
    null when n is 0. -#}
{% macro cxux_nps_value(promoters, detractors, n) -%}
    100 * {{ cxux_double('(' ~ promoters ~ ') - (' ~ detractors ~ ')') }} / {{ cxux_double('nullif(' ~ n ~ ', 0)') }}
{%- endmacro %}

{#- A share: hits / n; null when n is 0 (top_box, proportion). -#}
{% macro cxux_share_value(hits, n) -%}
    {{ cxux_double(hits) }} / {{ cxux_double('nullif(' ~ n ~ ', 0)') }}
{%- endmacro %}
