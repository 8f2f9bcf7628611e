{#- CES has two scales in use (METRICS_REFERENCE.md): CES 2.0 is 1-7 agreement with "the
    company made it easy to handle my issue" (higher = less effort); CES 1.0 was a 1-5
    effort scale ("how much effort did you personally have to put forth", lower = less
    effort). The raw contract has one survey_type 'ces' (score 1-7) and no scale column,
    so the surveys that used CES 1.0 are named in configuration: var
    cxux_ces_1_survey_ids, a list of survey_id values (default: none, all CES is 2.0). -#}
{% macro cxux_ces_1_survey_ids() -%}
    {%- set ids = var('cxux_ces_1_survey_ids', []) or [] -%}
    {%- if ids is string -%}{%- set ids = [ids] -%}{%- endif -%}
    {{ return(ids | list) }}
{%- endmacro %}

{#- A SQL condition: the survey_id expression names a CES 1.0 survey. -#}
{% macro cxux_is_ces_1_survey(survey_id) -%}
    {%- set ids = cxux_ces_1_survey_ids() -%}
    {%- if ids | length == 0 -%}
        (1 = 0)
    {%- else -%}
        {%- set literals = [] -%}
        {%- for id in ids -%}{%- do literals.append("'" ~ (id | string | replace("'", "''")) ~ "'") -%}{%- endfor -%}
        ({{ survey_id }} in ({{ literals | join(', ') }}))
    {%- endif -%}
{%- endmacro %}

{#- The scale a response's single score is on: '0-10' (nps), '1-5' (csat,
    in_app_rating, CES 1.0), '1-7' (CES 2.0); null for multi-item instruments (sus,
    umux_lite: no single score). -#}
{% macro cxux_survey_score_scale(survey_type, survey_id) -%}
    case
        when {{ survey_type }} = 'nps' then '0-10'
        when {{ survey_type }} = 'ces' and {{ cxux_is_ces_1_survey(survey_id) }} then '1-5'
        when {{ survey_type }} = 'ces' then '1-7'
        when {{ survey_type }} in ('csat', 'in_app_rating') then '1-5'
    end
{%- endmacro %}
