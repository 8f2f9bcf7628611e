-- The link marts' statistics against published or hand-worked values. Returns a row
-- (and fails) for every value off by more than its rounding.
--   NPS, Rocks (2016) interval: 100 promoters, 30 passives, 80 detractors (n 210) ->
--     NPS 9.52, 95% CI about [-2.9, 22.0] (METRICS_REFERENCE.md)
--   Wilson 95% for 1 of 2: [0.0945, 0.9055]; for 0 of 10: [0, 0.2775]
--     (0 of 10: upper = (1.9208/10 + 0.196 x sqrt(0.9604/100)... = 3.8416/13.8416 = 0.2775)
--   Two-proportion z, 30/100 vs 15/100: pooled 0.225, SE sqrt(0.225 x 0.775 x 0.02)
--     = 0.059055 -> z = 0.15 / 0.059055 = 2.540
--   NPS bounds clip: 10 promoters of 10 -> 100, SE 0 -> [100, 100]
with

cases as (

    select 'nps' as check_name, {{ cxux_nps_value(100, 80, 210) }} as actual, 9.52 as expected, 0.01 as tolerance
    union all
    select 'nps_lower', {{ cxux_nps_bound('rocks', 100, 80, 210, 0.95, 'lower') }}, -2.9, 0.05
    union all
    select 'nps_upper', {{ cxux_nps_bound('rocks', 100, 80, 210, 0.95, 'upper') }}, 22.0, 0.05
    union all
    select 'nps_upper_clipped', {{ cxux_nps_bound('rocks', 10, 0, 10, 0.95, 'upper') }}, 100, 0.0001
    union all
    select 'wilson_1_of_2_lower', {{ cxux_wilson_bound(1, 2, 0.95, 'lower') }}, 0.0945, 0.0001
    union all
    select 'wilson_1_of_2_upper', {{ cxux_wilson_bound(1, 2, 0.95, 'upper') }}, 0.9055, 0.0001
    union all
    select 'wilson_0_of_10_lower', {{ cxux_wilson_bound(0, 10, 0.95, 'lower') }}, 0, 0.0001
    union all
    select 'wilson_0_of_10_upper', {{ cxux_wilson_bound(0, 10, 0.95, 'upper') }}, 0.2775, 0.0001
    union all
    select 'z_30_100_vs_15_100', {{ experience_two_proportion_z(30, 100, 15, 100) }}, 2.540, 0.001

)

select *
from cases
where actual is null or abs(actual - expected) > tolerance
