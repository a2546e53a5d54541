{#- Identity resolution for survey answers: the customer_id the answer carries, else the customer
    whose normalised e-mail hash matches (customer account first, then a contact of the customer).
    Unlinked answers are kept (customer_id NULL, link_method 'unlinked'). #}
with responses as (

    select * from {{ ref('stg_crm__survey_responses') }}

),

email_customers as (

    select email_hash, min(customer_id) as customer_id
    from (
        select email_hash, customer_id from {{ ref('stg_crm__customers') }}
        union all
        select email_hash, customer_id from {{ ref('stg_crm__contacts') }}
    ) as addresses
    where email_hash is not null and customer_id is not null
    group by email_hash

),

final as (

    select
        responses.response_id,
        responses.ticket_id,
        responses.survey_type,
        responses.score,
        responses.answered_at,
        responses.answered_date,
        coalesce(responses.customer_id, email_customers.customer_id) as customer_id,
        case
            when responses.customer_id is not null then 'customer_id'
            when email_customers.customer_id is not null then 'email_hash'
            else 'unlinked'
        end as link_method
    from responses
    left join email_customers
        on email_customers.email_hash = responses.email_hash

)

select * from final
