{#- Free-text comments that reach a mart carry no email address or phone number
    (RAW_CONTRACT.md: PII never reaches a mart). Staging masks them
    (macros/staging/cxux_pii.sql, unit-tested on worked examples); this test checks the
    built data, with its own, looser patterns: anything with an @ between word
    characters and a dotted domain, and any run of 9 or more digits with at most one
    separator (space, dot, dash, bracket, plus) between them. Returns offending rows. -#}
{{ config(tags=['governance']) }}

with fct_survey_responses as (

    select * from {{ ref('fct_survey_responses') }}

),

checked as (

    select
        response_id,
        comment_scrubbed,
        {{ cxux_regexp_replace_all('comment_scrubbed', '[A-Za-z0-9_]@[A-Za-z0-9-]+[.][A-Za-z]', '') }}
            as without_emails,
        {{ cxux_regexp_replace_all('comment_scrubbed', '([0-9][ ().+-]?){8}[0-9]', '') }}
            as without_phones
    from fct_survey_responses
    where comment_scrubbed is not null

),

final as (

    select
        response_id,
        comment_scrubbed
    from checked
    where without_emails <> comment_scrubbed
        or without_phones <> comment_scrubbed

)

select * from final
