{#- True when cxux is the project being run, false when a host project installed it as a
    package. Self-tests (the fixture metric models, dbt unit tests) build only at home, so a
    host's warehouse never gets them (issue 16). In YAML, where macros are not available,
    the same test is written `{{ project_name == 'cxux' }}` (dbt's project_name is the root
    project's name in both places). -#}
{% macro cxux_is_root_project() -%}
    {{ return(project_name == 'cxux') }}
{%- endmacro %}
