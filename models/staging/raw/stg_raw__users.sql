with

validated as (

    select * from {{ ref('base_raw__users__validated') }}

),

country_regions as (

    select * from {{ ref('country_regions') }}

),

final as (

    select
        validated.user_id,
        validated.account_id,
        {{ cxux_email_hash('validated.email') }} as email_hash,
        validated.role,
        validated.country_code,
        coalesce(country_regions.region, 'unknown') as region,
        validated.is_account_owner,
        validated.signup_at,
        validated.updated_at
        {{ cxux_passthrough('users', 'validated') }}
    from validated
    left join country_regions
        on upper(validated.country_code) = country_regions.country_code
    where validated._cxux_reasons is null

)

select * from final
