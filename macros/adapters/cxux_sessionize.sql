{#- Sessions by inactivity, for trackers that send no session id (Segment; docs/adapters/segment.md).

    cxux_sessionize(relation, partition_by, timestamp_column, id_column, timeout_minutes)
    returns a subquery (no alias) with every column of `relation` (a CTE name or a relation)
    plus:
      session_number   1, 2, ... within the partition, in time order
      session_first_id the id_column of the session's first row (time, then id, order):
                       a stable session key while no earlier row arrives late
    A row starts a new session when it is the partition's first or when more than
    `timeout_minutes` passed since the previous row of the partition (a gap of exactly the
    timeout stays in the session, as Google Analytics' 30-minute rule). Sessions do not
    end at midnight or at a change of day in any time zone: timestamps are UTC instants and
    only the gap counts. Ties on the timestamp are ordered by id so the result is
    deterministic. Window functions only (lag, running sum, first_value), with dbt.dateadd:
    the same SQL on DuckDB, PostgreSQL and Spark. -#}
{% macro cxux_sessionize(relation, partition_by, timestamp_column, id_column, timeout_minutes) -%}
    {%- set order_by = timestamp_column ~ ', ' ~ id_column -%}
    (
        select
            numbered.*,
            first_value({{ id_column }}) over (
                partition by {{ partition_by }}, session_number
                order by {{ order_by }}
                rows between unbounded preceding and unbounded following
            ) as session_first_id
        from (
            select
                flagged.*,
                sum(is_session_start) over (
                    partition by {{ partition_by }}
                    order by {{ order_by }}
                    rows between unbounded preceding and current row
                ) as session_number
            from (
                select
                    lagged.*,
                    case
                        when previous_at is null then 1
                        when {{ timestamp_column }}
                            > {{ dbt.dateadd('minute', timeout_minutes | int, 'previous_at') }} then 1
                        else 0
                    end as is_session_start
                from (
                    select
                        sessionized_input.*,
                        lag({{ timestamp_column }}) over (
                            partition by {{ partition_by }}
                            order by {{ order_by }}
                        ) as previous_at
                    from {{ relation }} as sessionized_input
                ) as lagged
            ) as flagged
        ) as numbered
    )
{%- endmacro %}
