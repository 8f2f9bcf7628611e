with

validated as (

    select * from {{ ref('base_raw__accounts__validated') }}

),

country_regions as (

    select * from {{ ref('country_regions') }}

),

final as (

    select
        validated.account_id,
        validated.account_type,
        -- a person's name is PII; a company's name is not
        case
            when validated.account_type = 'business' then validated.account_name
        end as account_name,
        {{ cxux_email_hash('validated.email') }} as email_hash,
        validated.segment,
        validated.country_code,
        coalesce(country_regions.region, 'unknown') as region,
        validated.acquisition_channel,
        validated.created_at,
        validated.updated_at
        {{ cxux_passthrough('accounts', 'validated') }}
    from validated
    left join country_regions
        on upper(validated.country_code) = country_regions.country_code
    where validated._cxux_reasons is null

)

select * from final
