-- The statement the server wraps in COPY … TO STDOUT for an invoice's call records CSV
-- (src/services/call_records/copy_out.rs), for account 1 and invoice INVOICE_ID: the baseline
-- that bench/run.sh runs through psql, and checks byte for byte against the download.
SELECT CASE WHEN left(c.call_id, 1) IN ('=', '+', '-', '@', E'\t', E'\r')
             AND c.call_id !~ '^\+[1-9][0-9]{1,14}$' THEN '''' || c.call_id ELSE c.call_id END AS call_id,
  to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS started_at, c.direction,
  CASE WHEN left(c.from_number, 1) IN ('=', '+', '-', '@', E'\t', E'\r')
       AND c.from_number !~ '^\+[1-9][0-9]{1,14}$' THEN '''' || c.from_number ELSE c.from_number END AS from_number,
  CASE WHEN left(c.to_number, 1) IN ('=', '+', '-', '@', E'\t', E'\r')
       AND c.to_number !~ '^\+[1-9][0-9]{1,14}$' THEN '''' || c.to_number ELSE c.to_number END AS to_number,
  c.duration_seconds, c.call_type,
  CASE WHEN c.rated_amount_micros < 0 THEN '-' ELSE '' END || abs(c.rated_amount_micros) / 1000000 || '.' ||
    CASE WHEN abs(c.rated_amount_micros) % 10000 = 0
      THEN lpad((abs(c.rated_amount_micros) % 1000000 / 10000)::text, 2, '0')
      ELSE rtrim(lpad((abs(c.rated_amount_micros) % 1000000)::text, 6, '0'), '0') END AS rated_amount,
  c.currency,
  CASE WHEN left(i.number, 1) IN ('=', '+', '-', '@', E'\t', E'\r')
       AND i.number !~ '^\+[1-9][0-9]{1,14}$' THEN '''' || i.number ELSE i.number END AS invoice_number
FROM call_records c LEFT JOIN invoices i ON i.id = c.invoice_id
WHERE c.account_id = 1 AND c.invoice_id = INVOICE_ID
ORDER BY c.started_at, c.id
