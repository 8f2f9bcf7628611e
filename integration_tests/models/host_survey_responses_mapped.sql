{#- A host model feeding cxux's survey responses (var cxux_survey_responses_relation), with
    the tool that ran each survey, passed through to fct_survey_responses. -#}
select
    *,
    case when survey_type in ('sus', 'umux_lite') then 'research_panel' else 'in_house' end
        as survey_vendor
from {{ source('cxux_demo', 'survey_responses') }}
