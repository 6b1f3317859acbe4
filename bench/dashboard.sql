-- The statements the Dashboard operation runs for Maple Dental (account 1), as the server sends
-- them: session, viewer, account, standing (account, invoices, ledger sums), last payment,
-- Auto Pay and its card, the first transactions page (count + rows) and their invoices.
SELECT s.id, u.id, u.account_id, u.role, u.must_change_password FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.token_hash = 'TOKEN_HASH';
SELECT * FROM users WHERE id = 1 AND account_id = 1;
SELECT * FROM accounts WHERE id = 1;
SELECT * FROM accounts WHERE id = 1;
SELECT * FROM invoices WHERE account_id = 1 ORDER BY issued_on, id;
SELECT kind, CAST(SUM(amount_minor) AS BIGINT) FROM ledger_entries WHERE account_id = 1 GROUP BY kind;
SELECT * FROM payments WHERE account_id = 1 AND status = 'succeeded' ORDER BY succeeded_at DESC, id DESC LIMIT 1;
SELECT * FROM auto_pay_settings WHERE account_id = 1;
SELECT * FROM payment_methods WHERE id IN (1);
SELECT COUNT(*) FROM ledger_entries WHERE account_id = 1;
SELECT * FROM ledger_entries WHERE account_id = 1 ORDER BY id DESC LIMIT 6;
SELECT * FROM invoices WHERE id IN (8, 7);
