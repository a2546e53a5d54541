-- Bare-DuckDB baseline: the same core marts as the pipeline (customers, orders, monthly revenue
-- and customer KPIs) straight from the export files, with no framework around DuckDB.
-- {landing} is a copy of the landing zone in UTF-8 (DuckDB cannot read Windows-1252 here).
CREATE OR REPLACE TABLE fx AS
SELECT CAST(rate_date AS DATE) AS rate_date, currency, CAST(rate_to_reporting AS DECIMAL(18, 6)) AS rate
FROM read_csv('{landing}/finance/fx_rates/*.csv', header = true, all_varchar = true);

CREATE OR REPLACE TABLE orders AS
SELECT order_id, customer_id, status, currency,
       CAST(strptime(ordered_at, '%d.%m.%Y %H:%M:%S') AS DATE) AS order_date
FROM read_csv('{landing}/crm/orders/*.csv', delim = ';', header = true, all_varchar = true)
QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY strptime(updated_at, '%d.%m.%Y %H:%M:%S') DESC) = 1;

CREATE OR REPLACE TABLE order_values AS
SELECT order_id, sum(CAST(quantity AS BIGINT) * CAST(replace(replace(net_unit_price, '.', ''), ',', '.') AS DECIMAL(18, 6))) AS net_value
FROM (
    SELECT * FROM read_csv('{landing}/crm/order_lines/*.csv', delim = ';', header = true, all_varchar = true)
    QUALIFY row_number() OVER (PARTITION BY order_id, line_number ORDER BY strptime(updated_at, '%d.%m.%Y %H:%M:%S') DESC) = 1
)
GROUP BY order_id;

CREATE OR REPLACE TABLE refunds AS
SELECT order_id, sum(CAST(replace(replace(refund_amount, '.', ''), ',', '.') AS DECIMAL(18, 6))) AS refunded
FROM (
    SELECT * FROM read_csv('{landing}/crm/returns/*.csv', delim = ';', header = true, all_varchar = true)
    QUALIFY row_number() OVER (PARTITION BY return_id ORDER BY returned_at DESC) = 1
)
GROUP BY order_id;

CREATE OR REPLACE TABLE fct_orders AS
SELECT o.*, o.status = 'cancelled' AS is_cancelled,
       CAST(coalesce(v.net_value, 0) * r.rate AS DECIMAL(18, 2)) AS net_value_eur,
       CAST(coalesce(f.refunded, 0) * r.rate AS DECIMAL(18, 2)) AS refunded_eur
FROM orders o
LEFT JOIN order_values v USING (order_id)
LEFT JOIN refunds f USING (order_id)
ASOF LEFT JOIN (SELECT * FROM fx UNION ALL SELECT DISTINCT rate_date, 'EUR', 1 FROM fx) r
    ON r.currency = o.currency AND o.order_date >= r.rate_date;

CREATE OR REPLACE TABLE dim_customers AS
SELECT c.customer_id, c.segment, c.region,
       min(o.order_date) FILTER (WHERE NOT o.is_cancelled) AS first_order_date,
       max(o.order_date) FILTER (WHERE NOT o.is_cancelled) AS last_order_date,
       count(o.order_id) AS orders,
       coalesce(sum(o.net_value_eur - o.refunded_eur) FILTER (WHERE NOT o.is_cancelled), 0) AS lifetime_revenue_net
FROM (
    SELECT * FROM read_csv('{landing}/crm/customers/*.csv', header = true, all_varchar = true)
    QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY updated_at DESC) = 1
) c
LEFT JOIN fct_orders o USING (customer_id)
GROUP BY ALL;

CREATE OR REPLACE TABLE kpi_monthly AS
SELECT date_trunc('month', order_date) AS month_start,
       sum(net_value_eur - refunded_eur) FILTER (WHERE NOT is_cancelled) AS revenue_net,
       count(*) AS orders,
       count(*) FILTER (WHERE is_cancelled) / count(*) AS cancellation_rate,
       count(DISTINCT customer_id) FILTER (WHERE NOT is_cancelled) AS ordering_customers,
       (SELECT count(*) FROM dim_customers d WHERE date_trunc('month', d.first_order_date) = date_trunc('month', f.order_date)) AS new_customers
FROM fct_orders f
GROUP BY ALL;
