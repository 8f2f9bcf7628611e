{#- cxux_t_quantile against Student t critical values as printed in standard
    tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), to 3 decimals: the lookup part
    (df <= 30) and the Cornish-Fisher part (df > 30). Returns the rows that differ. -#}
with expected as (

    select 0.95 as confidence, 1 as df, 12.706 as t_expected
    union all select 0.95, 2, 4.303
    union all select 0.95, 5, 2.571
    union all select 0.95, 10, 2.228
    union all select 0.95, 30, 2.042
    union all select 0.95, 40, 2.021
    union all select 0.95, 60, 2.000
    union all select 0.95, 100, 1.984
    union all select 0.90, 1, 6.314
    union all select 0.90, 10, 1.812
    union all select 0.90, 40, 1.684
    union all select 0.90, 100, 1.660
    union all select 0.99, 1, 63.657
    union all select 0.99, 10, 3.169
    union all select 0.99, 40, 2.704
    union all select 0.99, 100, 2.626

),

computed as (

    select
        confidence,
        df,
        t_expected,
        case
            when confidence = 0.90 then {{ cxux_t_quantile(0.90, 'df') }}
            when confidence = 0.95 then {{ cxux_t_quantile(0.95, 'df') }}
            when confidence = 0.99 then {{ cxux_t_quantile(0.99, 'df') }}
        end as t_computed
    from expected

)

select *
from computed
where t_computed is null
    or abs(t_computed - t_expected) > 0.0006
