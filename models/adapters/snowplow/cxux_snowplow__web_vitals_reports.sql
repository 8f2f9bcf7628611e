{#- The web_vitals events' values, from com_snowplowanalytics_snowplow_web_vitals_1 as the
    PostgreSQL and Redshift loaders land it: root_id and root_tstamp name the event. Only the
    columns the adapter reads. A model of its own so that dbt's unit tests can stand in for
    it: dbt names a stand-in input after its source and table, and that name is longer than
    PostgreSQL's 63-character identifiers. -#}
select root_id, root_tstamp, lcp, inp, cls, fcp, ttfb
from {{ source('cxux_snowplow', 'com_snowplowanalytics_snowplow_web_vitals_1') }}
