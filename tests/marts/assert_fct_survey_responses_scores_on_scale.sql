-- SUS is 0-100 in steps of 2.5, UMUX-Lite 0-100 in steps of 100/12, and each score only
-- appears on its own survey type.
select *
from {{ ref('fct_survey_responses') }}
where sus_score < 0
    or sus_score > 100
    or abs(sus_score / 2.5 - round(sus_score / 2.5)) > 0.000001
    or umux_lite_score < 0
    or umux_lite_score > 100
    or abs(umux_lite_score * 12 / 100 - round(umux_lite_score * 12 / 100)) > 0.000001
    or (sus_score is not null and survey_type <> 'sus')
    or (umux_lite_score is not null and survey_type <> 'umux_lite')
    or (nps_category is not null and survey_type <> 'nps')
