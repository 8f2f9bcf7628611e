{#- Domains a team can switch off (RAW_CONTRACT.md "Not every team has every domain";
    issue 16). Each domain has a var `cxux_using_<domain>`:
      null (default)  on when every raw table of the domain exists, off when none does;
                      some but not all present is an error (load the rest or turn it off)
      true            on; a missing raw table is an error
      false           off: its staging models hold no rows, so every model downstream
                      builds empty, and its metrics are reported as not configured
    `tasks` and `web_vitals` live inside product usage (task_* events, the vitals columns
    of page_views), so they have no table of their own: they are on with product usage
    unless their var is false. `accounts` is always needed; without a `users` table each
    account is its own single user, and `products` (read by commerce, subscriptions and
    reviews) may be missing: it then reads as empty (cxux_raw_relation).

    The state of every domain in a build is the model raw_domains (schema quarantine),
    which the CLI's quality gate, report and catalog read. -#}

{% macro cxux_domain_specs() -%}
    {{ return({
        'commerce': {'tables': ['orders', 'order_items']},
        'subscriptions': {'tables': ['subscription_events']},
        'support': {'tables': ['support_tickets', 'ticket_events']},
        'surveys': {'tables': ['survey_responses']},
        'survey_items': {'tables': ['survey_item_answers'], 'within': 'surveys'},
        'reviews': {'tables': ['reviews']},
        'product_usage': {'tables': ['page_views', 'events']},
        'tasks': {'tables': [], 'within': 'product_usage'},
        'web_vitals': {'tables': [], 'within': 'product_usage'},
    }) }}
{%- endmacro %}

{#- The domain a raw table belongs to; none for accounts, users and products. -#}
{% macro cxux_raw_table_domain(table_name) -%}
    {%- for domain, spec in cxux_domain_specs().items() if table_name in spec.tables -%}
        {{ return(domain) }}
    {%- endfor -%}
    {{ return(none) }}
{%- endmacro %}

{#- Does the raw table itself exist? Execution time only. A table given by var
    cxux_<table>_relation counts as present without looking: rendering the var here would
    put its ref() into models that do not declare it (dbt refuses that), and a relation
    the user named but did not build fails in staging with the database's own error. -#}
{% macro cxux_raw_table_exists(table_name) -%}
    {%- if var.has_var(cxux_raw_relation_var(table_name))
           or cxux_raw_union_sources(table_name) is not none -%}
        {{ return(true) }}
    {%- endif -%}
    {%- if cxux_adapters_feeding(table_name) -%}
        {#- an adapter's output: a model of this build (same reason as above) -#}
        {{ return(true) }}
    {%- endif -%}
    {%- set relation = cxux_raw_relation_given(table_name) -%}
    {%- set found = adapter.get_relation(database=relation.database, schema=relation.schema,
                                         identifier=relation.identifier) -%}
    {{ return(found is not none) }}
{%- endmacro %}

{#- {'enabled': bool, 'reason': text} for one domain. It looks at the warehouse, so at
    parse time and in unit tests every domain is on. -#}
{% macro cxux_domain_state(domain) -%}
    {%- set specs = cxux_domain_specs() -%}
    {%- if domain not in specs -%}
        {{ exceptions.raise_compiler_error("unknown cxux domain '" ~ domain ~ "' (one of " ~ specs.keys() | list | join(', ') ~ ")") }}
    {%- endif -%}
    {%- set spec = specs[domain] -%}
    {%- set setting = var('cxux_using_' ~ domain, none) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {#- parse time, and unit tests (their inputs are fixtures): every domain is on -#}
        {{ return({'enabled': true, 'reason': 'parse time'}) }}
    {%- endif -%}
    {%- if setting is not none and setting | string | lower in ('false', '0', 'no', 'off') -%}
        {{ return({'enabled': false, 'reason': 'var cxux_using_' ~ domain ~ ' is false'}) }}
    {%- endif -%}
    {%- if spec.get('within') -%}
        {%- set parent = cxux_domain_state(spec.within) -%}
        {%- if not parent.enabled -%}
            {{ return({'enabled': false, 'reason': spec.within ~ ' is off (' ~ parent.reason ~ ')'}) }}
        {%- endif -%}
        {#- unset, and every table of the parent comes from adapters that do not record this
            domain (cxux_adapter_specs' lacks): off, as the team would have to say anyway -#}
        {%- if setting is none -%}
            {%- set feeders = [] -%}
            {%- for table_name in specs[spec.within].tables -%}
                {%- if var.has_var(cxux_raw_relation_var(table_name))
                       or cxux_raw_union_sources(table_name) is not none -%}
                    {%- do feeders.append('var') -%}
                {%- endif -%}
                {%- set systems = cxux_adapters_feeding(table_name) -%}
                {%- do feeders.extend(systems if systems else ['raw']) -%}
            {%- endfor -%}
            {%- set adapter_specs = cxux_adapter_specs() -%}
            {%- set recording = [] -%}
            {%- for feeder in feeders if feeder not in adapter_specs or domain not in adapter_specs[feeder].get('lacks', []) -%}
                {%- do recording.append(feeder) -%}
            {%- endfor -%}
            {%- if not recording -%}
                {{ return({'enabled': false, 'reason': 'its data comes from ' ~ feeders | unique | join(', ') ~ ', which does not record ' ~ domain}) }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
    {%- set missing = [] -%}
    {%- for table_name in spec.tables if not cxux_raw_table_exists(table_name) -%}
        {%- do missing.append(table_name) -%}
    {%- endfor -%}
    {%- if not missing -%}
        {%- set reason = 'var cxux_using_' ~ domain ~ ' is true' if setting is not none
                         else ('its raw tables exist' if spec.tables else 'on with ' ~ spec.within) -%}
        {{ return({'enabled': true, 'reason': reason}) }}
    {%- endif -%}
    {%- set where = cxux_raw_relation_given(missing[0]) -%}
    {%- if setting is not none -%}
        {{ exceptions.raise_compiler_error(
            "var cxux_using_" ~ domain ~ " is true but raw table(s) " ~ missing | join(', ')
            ~ " do not exist (looked for " ~ where ~ "); load them or set cxux_using_" ~ domain ~ ": false") }}
    {%- endif -%}
    {%- if missing | length < spec.tables | length -%}
        {{ exceptions.raise_compiler_error(
            "domain " ~ domain ~ ": raw table(s) " ~ missing | join(', ') ~ " do not exist (looked for "
            ~ where ~ ") but " ~ (spec.tables | reject('in', missing) | join(', ')) ~ " do; load the rest, "
            ~ "or switch the domain off with var cxux_using_" ~ domain ~ ": false") }}
    {%- endif -%}
    {{ return({'enabled': false, 'reason': 'no raw table ' ~ missing | join(', ')}) }}
{%- endmacro %}

{% macro cxux_domain_enabled(domain) -%}
    {{ return(cxux_domain_state(domain).enabled) }}
{%- endmacro %}

{#- Can staging see this raw table's rows? False for a table of a domain that is off and
    for a missing `products` table; a foreign key into such a table is not checked
    (cxux_validate_raw_table, test cxux_relationships). Unit tests see every table. -#}
{% macro cxux_raw_table_available(table_name) -%}
    {%- if not execute or model.resource_type == 'unit_test' -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set domain = cxux_raw_table_domain(table_name) -%}
    {%- if domain is not none -%}
        {{ return(cxux_domain_enabled(domain)) }}
    {%- endif -%}
    {%- if table_name == 'products' -%}
        {{ return(cxux_raw_table_exists('products')) }}
    {%- endif -%}
    {{ return(true) }}
{%- endmacro %}
