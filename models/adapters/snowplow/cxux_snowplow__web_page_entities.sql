{#- The web_page entity, one row per entity an event carries: its id is the page view id;
    root_id and root_tstamp name the event it rides on (docs/adapters/snowplow.md). Only the
    columns the adapter reads. A model of its own so that dbt's unit tests can stand in for
    it: dbt names a stand-in input after its source and table, and that name is longer than
    PostgreSQL's 63-character identifiers.

    var cxux_snowplow_layout, how the loader landed the events:
    - shredded (default; the PostgreSQL and Redshift loaders): the table
      com_snowplowanalytics_snowplow_web_page_1, as it is.
    - wide (the Snowflake, BigQuery and Databricks loaders, read from a text copy): the JSON
      array of column contexts_com_snowplowanalytics_snowplow_web_page_1 of events, one row
      per element, root_id = event_id and root_tstamp = collector_tstamp, as the shredded
      table would hold it. Two elements give two rows, and cxux_snowplow__events_deduped takes
      the least id, as it does for two rows of the shredded table. Text that is not a JSON
      array, and an element without an id, give no row (macros/cross_db/cxux_json.sql: text
      that is not JSON on PostgreSQL). -#}
{%- if cxux_snowplow_layout() == 'wide' %}
with events as (

    select * from {{ source('cxux_snowplow', 'events') }}

),

entities as (

    select
        event_id as root_id,
        collector_tstamp as root_tstamp,
        {{ cxux_unnest_json_array('contexts_com_snowplowanalytics_snowplow_web_page_1', 'id') }} as id
    from events
    where contexts_com_snowplowanalytics_snowplow_web_page_1 is not null

),

final as (

    -- an element without an id is no web_page entity (the schema requires one)
    select * from entities where id is not null

)

select * from final
{%- else %}
{#- events as a parent in this layout too: the wide layout's unit tests stand in for it
    whatever layout the project is parsed with #}
-- depends_on: {{ source('cxux_snowplow', 'events') }}
select root_id, root_tstamp, id
from {{ source('cxux_snowplow', 'com_snowplowanalytics_snowplow_web_page_1') }}
{%- endif %}
