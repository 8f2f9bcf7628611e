{#- UX bands used by the link marts (one place, so the marts, the report and the
    tests agree). Bands: poor / fair / good; null signal -> null band.
    Task success (MeasuringU's average task completion is about 78%):
        poor < 0.70, fair 0.70 to < 0.85, good >= 0.85.
    Core Web Vitals pass share of an account's page loads (web.dev judges a page at
    the 75th percentile, so >= 75% of loads passing means the account's experience passes):
        poor < 0.50, fair 0.50 to < 0.75, good >= 0.75.
    SUS mean (Sauro-Lewis: F below 51.7, average 68):
        poor < 51.7, fair 51.7 to < 68, good >= 68. -#}
{% macro experience_band_thresholds() -%}
    {{ return({
        'task_success_rate': {'fair': 0.70, 'good': 0.85},
        'cwv_pass_rate': {'fair': 0.50, 'good': 0.75},
        'sus_mean': {'fair': 51.7, 'good': 68},
    }) }}
{%- endmacro %}

{% macro experience_band(signal, expression) -%}
    {%- set t = experience_band_thresholds()[signal] -%}
    case
        when {{ expression }} is null then null
        when {{ expression }} >= {{ t['good'] }} then 'good'
        when {{ expression }} >= {{ t['fair'] }} then 'fair'
        else 'poor'
    end
{%- endmacro %}
