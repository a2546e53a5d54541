{#- Identity resolution report: per source, how many rows are linked to a customer and how. #}
with links as (

    select 'survey_responses' as source_entity, link_method from {{ ref('int_survey_responses_linked') }}
    union all
    select 'tickets', case when customer_id is not null then 'customer_id' else 'unlinked' end
    from {{ ref('stg_crm__tickets') }}
    union all
    select 'web_sessions', case when customer_id is not null then 'customer_id' else 'unlinked' end
    from {{ ref('int_web_sessions') }}
    union all
    select 'bank_inflows', case when is_matched then 'payment_reference' else 'unlinked' end
    from {{ ref('int_payment_matches') }}
    where is_inflow

),

final as (

    select
        source_entity,
        count(*) as source_rows,
        count(case when link_method <> 'unlinked' then 1 end) as linked_rows,
        count(case when link_method = 'customer_id' then 1 end) as linked_by_id,
        count(case when link_method = 'email_hash' then 1 end) as linked_by_email,
        count(case when link_method = 'payment_reference' then 1 end) as linked_by_payment_reference,
        {{ safe_ratio("count(case when link_method <> 'unlinked' then 1 end)", 'count(*)') }} as link_rate
    from links
    group by source_entity

)

select * from final
