-- The SQL one submission runs (one date, a party of two), for pgbench: bench/booking_rush.py
\set n random(1, 1000000000)
\set shard random(0, 15)
BEGIN;
SELECT pg_advisory_xact_lock_shared(7000000000);
SELECT (SELECT state FROM period WHERE period = :period) AS period_state, p.person, p.cohabitants, p.eligible, p.lang, (SELECT reason FROM account_status s WHERE s.account_id = 'bench-1' AND s.disabled) AS disabled_reason, (SELECT json_agg(json_build_array(r.date, r.state)) FROM reservation r WHERE r.account_id = 'bench-1') AS reservations, (SELECT json_agg(json_build_array(e.document_type, e.document_number, e.entry_date)) FROM entry_record e WHERE e.entry_date >= :period AND (e.document_type, e.document_number) IN (SELECT x->>'document_type', x->>'document_number' FROM jsonb_array_elements(p.cohabitants || jsonb_build_array(p.person)) x)) AS entries FROM (SELECT 1) one LEFT JOIN party p ON p.account_id = 'bench-1';
INSERT INTO application (application_number, period, date, account_id, party, party_size, submitted_at, result) VALUES ('PG' || :n, :period, :day, 'pgbench', '[{"document_type":"t","document_number":"P"},{"document_type":"t","document_number":"Q"}]', 2, now(), 'pending');
INSERT INTO party_claim (date, document_type, document_number, application_number) VALUES (:day, 't', 'P' || :n, 'PG' || :n), (:day, 't', 'Q' || :n, 'PG' || :n) ON CONFLICT DO NOTHING RETURNING date, document_type, document_number;
INSERT INTO date_counter (period, date, shard, applications, applicants) VALUES (:period, :day, :shard, 1, 2) ON CONFLICT (period, date, shard) DO UPDATE SET applications = date_counter.applications + 1, applicants = date_counter.applicants + EXCLUDED.applicants;
INSERT INTO event_outbox (event_id, event_type, body, occurred_at, version) VALUES (gen_random_uuid()::text, 'booking.application.submitted', '{"application_number":"x"}', now(), 1);
COMMIT;
