{#- web.dev rating of one web-vital measurement. Boundary values are good:
    value <= good -> good, good < value <= poor -> needs_improvement, value > poor -> poor.
    Null (not measured) stays null. -#}
{% macro cxux_web_vital_rating(value, good_threshold, poor_threshold) -%}
    case
        when {{ value }} is null then null
        when {{ value }} <= {{ good_threshold }} then 'good'
        when {{ value }} <= {{ poor_threshold }} then 'needs_improvement'
        else 'poor'
    end
{%- endmacro %}

{#- Thresholds from web.dev (Core Web Vitals and the other field metrics).
    One place, so facts and metric docs agree. -#}
{% macro cxux_web_vital_thresholds() -%}
    {{ return({
        'lcp': {'good': 2500, 'poor': 4000},
        'inp': {'good': 200, 'poor': 500},
        'cls': {'good': 0.1, 'poor': 0.25},
        'fcp': {'good': 1800, 'poor': 3000},
        'ttfb': {'good': 800, 'poor': 1800},
    }) }}
{%- endmacro %}
