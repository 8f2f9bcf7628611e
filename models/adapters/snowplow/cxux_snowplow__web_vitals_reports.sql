{#- The web_vitals events' values, one row per web_vitals event: root_id and root_tstamp name
    the event (docs/adapters/snowplow.md). Only the columns the adapter reads. A model of its
    own so that dbt's unit tests can stand in for it: dbt names a stand-in input after its
    source and table, and that name is longer than PostgreSQL's 63-character identifiers.

    var cxux_snowplow_layout, how the loader landed the events:
    - shredded (default; the PostgreSQL and Redshift loaders): the table
      com_snowplowanalytics_snowplow_web_vitals_1, as it is.
    - wide (the Snowflake, BigQuery and Databricks loaders, read from a text copy): the JSON
      object of column unstruct_event_com_snowplowanalytics_snowplow_web_vitals_1 of events,
      root_id = event_id and root_tstamp = collector_tstamp; a field the object lacks (or
      holds as null) is null, as in the shredded table. Text that is not a JSON object gives
      no row: the report is left out, and an earlier report of the page stands
      (macros/cross_db/cxux_json.sql for PostgreSQL). -#}
{%- if cxux_snowplow_layout() == 'wide' %}
{%- set vitals = 'unstruct_event_com_snowplowanalytics_snowplow_web_vitals_1' %}
with events as (

    select * from {{ source('cxux_snowplow', 'events') }}

),

final as (

    select
        event_id as root_id,
        collector_tstamp as root_tstamp,
        {%- for field in ['lcp', 'inp', 'cls', 'fcp', 'ttfb'] %}
        cast({{ cxux_json_value(vitals, field) }} as {{ cxux_type_double() }}) as {{ field }}{{ ',' if not loop.last }}
        {%- endfor %}
    from events
    where {{ cxux_is_json_object(vitals) }}

)

select * from final
{%- else %}
{#- events as a parent in this layout too: the wide layout's unit tests stand in for it
    whatever layout the project is parsed with #}
-- depends_on: {{ source('cxux_snowplow', 'events') }}
select root_id, root_tstamp, lcp, inp, cls, fcp, ttfb
from {{ source('cxux_snowplow', 'com_snowplowanalytics_snowplow_web_vitals_1') }}
{%- endif %}
