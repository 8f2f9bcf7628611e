{#- PII never reaches a mart (DESIGN.md, RAW_CONTRACT.md). Scans the columns of every
    built model in schema `marts` (as the warehouse has them, so new marts are covered
    without being listed) and returns one row per column that is PII:
    - a column the raw contract marks `pii: true` (email, account_name, comment ...),
      or that a staging model marks `pii: true` (config.meta);
    - a column whose name looks like personal data (email, phone, names of people,
      address, IP address, free text) - a safety net for columns nobody tagged.
    Hashed or scrubbed derivatives (email_hash, comment_scrubbed) are not PII by
    design; they stay in staging anyway. Works on every engine: it asks the adapter
    for the columns instead of querying information_schema. -#}
{{ config(tags=['governance']) }}
{#- Run after the marts are built (dbt build orders tests by their refs). -#}
-- depends_on: {{ ref('dim_customers') }}
-- depends_on: {{ ref('dim_users') }}
-- depends_on: {{ ref('bridge_customer_users') }}
-- depends_on: {{ ref('dim_products') }}
-- depends_on: {{ ref('dim_dates') }}
-- depends_on: {{ ref('fct_orders') }}
-- depends_on: {{ ref('fct_order_lines') }}
-- depends_on: {{ ref('fct_customer_months') }}
-- depends_on: {{ ref('fct_tickets') }}
-- depends_on: {{ ref('fct_survey_responses') }}
-- depends_on: {{ ref('fct_reviews') }}
-- depends_on: {{ ref('fct_sessions') }}
-- depends_on: {{ ref('fct_page_views') }}
-- depends_on: {{ ref('fct_task_attempts') }}
-- depends_on: {{ ref('fct_user_days') }}
-- depends_on: {{ ref('fct_feature_usage') }}
-- depends_on: {{ ref('fct_user_feature_months') }}
-- depends_on: {{ ref('fct_account_seat_months') }}
-- depends_on: {{ ref('mart_account_health_monthly') }}
-- depends_on: {{ ref('mart_customer_journey') }}
-- depends_on: {{ ref('mart_experience_hotspots') }}
-- depends_on: {{ ref('mart_experience_link') }}
-- depends_on: {{ ref('mart_experience_link_monthly') }}
-- depends_on: {{ ref('mart_experience_signals') }}
-- depends_on: {{ ref('metric_values') }}
-- depends_on: {{ ref('scorecard_cx_monthly') }}
-- depends_on: {{ ref('scorecard_ux_monthly') }}

{%- set name_patterns = [
    '^e?_?mail$', '^email', '_email$', 'phone', 'mobile',
    '^(first|last|full|given|family|middle|display|user|contact|customer|person|account)_?name$',
    '^name$', 'address', '^ip$', '^ip_', '_ip$', 'comment$', '^comments?_text$',
    'free_text', '^note$', '^notes$', 'password', 'token', 'birth', 'ssn'
] -%}
{%- set allowed = ['email_hash', 'comment_scrubbed'] -%}

{%- set hits = [] -%}
{%- if execute -%}
    {%- set tagged = [] -%}
    {%- for source in graph.sources.values() -%}
        {%- for column in source.columns.values() -%}
            {%- if (column.get('config', {}).get('meta', {}).get('pii') or column.get('meta', {}).get('pii')) -%}
                {%- do tagged.append(column.name | lower) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' -%}
            {%- for column in node.columns.values() -%}
                {%- if (column.get('config', {}).get('meta', {}).get('pii') or column.get('meta', {}).get('pii')) -%}
                    {%- do tagged.append(column.name | lower) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set re = modules.re -%}
    {%- for node in graph.nodes.values() | sort(attribute='unique_id') -%}
        {#- config schema, not node.schema: PostgreSQL and Spark build marts in marts_build -#}
        {%- if node.resource_type == 'model' and node.config.get('schema') == 'marts' -%}
            {%- set relation = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.alias) -%}
            {%- if relation is not none -%}
                {%- for column in adapter.get_columns_in_relation(relation) -%}
                    {%- set name = column.name | lower -%}
                    {%- if name not in allowed -%}
                        {%- if name in tagged -%}
                            {%- do hits.append((node.alias, name, 'tagged pii in the raw contract or staging')) -%}
                        {%- else -%}
                            {%- for pattern in name_patterns -%}
                                {%- if re.search(pattern, name) -%}
                                    {%- do hits.append((node.alias, name, 'name matches ' ~ pattern)) -%}
                                {%- endif -%}
                            {%- endfor -%}
                        {%- endif -%}
                    {%- endif -%}
                {%- endfor -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}

{%- if hits %}
{%- for relation, column, reason in hits %}
select
    '{{ relation }}' as relation_name,
    '{{ column }}' as column_name,
    '{{ reason | replace("'", "") }}' as reason
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- else %}
select
    cast(null as {{ dbt.type_string() }}) as relation_name,
    cast(null as {{ dbt.type_string() }}) as column_name,
    cast(null as {{ dbt.type_string() }}) as reason
where 1 = 0
{%- endif %}
