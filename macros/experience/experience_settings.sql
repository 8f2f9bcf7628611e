{#- The experience marts' settings, read in one place. Each is declared with its
    default and meaning in dbt_project.yml (vars:, "Experience marts"); a host
    project overrides it there or with --vars. Every setting is a minimum count of
    evidence, so it must be a whole number >= 1 (0 would let a rate of no data in). -#}
{% macro experience_setting(name) -%}
    {%- set settings = [
        'cxux_link_min_task_attempts', 'cxux_link_min_page_loads', 'cxux_link_min_sus_responses',
        'cxux_link_min_region_task_attempts', 'cxux_link_min_region_page_loads',
        'cxux_link_min_region_sus_responses', 'cxux_link_min_sample', 'cxux_hotspot_min_task_attempts',
    ] -%}
    {%- if name not in settings -%}
        {{ exceptions.raise_compiler_error("cxux: '" ~ name ~ "' is not an experience setting (one of " ~ settings | join(', ') ~ ")") }}
    {%- endif -%}
    {%- set value = var(name, none) -%}
    {%- if value is none -%}
        {%- if not execute -%}{{ return(1) }}{%- endif -%}
        {{ exceptions.raise_compiler_error("cxux: var " ~ name ~ " (read by " ~ model.name ~ ") is not declared: add it under vars: in dbt_project.yml (see the 'Experience marts' block) or pass --vars") }}
    {%- endif -%}
    {%- if value is not number or value is boolean or value != value | int or value < 1 -%}
        {{ exceptions.raise_compiler_error("cxux: var " ~ name ~ " must be a whole number >= 1, not '" ~ value ~ "' (read by " ~ model.name ~ ")") }}
    {%- endif -%}
    {{ return(value | int) }}
{%- endmacro %}
