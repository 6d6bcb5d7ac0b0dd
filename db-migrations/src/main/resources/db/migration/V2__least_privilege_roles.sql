-- Least privilege: the migrations' role owns the schema (it runs this), the sink writes the rows, the dashboard
-- reads them. The roles themselves, with their passwords, are created before the first migration by whoever set up
-- the server (./miner's PostgreSQL, or the postgres StatefulSet's init script on Kubernetes); a database without
-- them (a test's throw-away server) gets no grants, and only its superuser can use it.
-- Grants name their tables: a grant on all tables would also give Flyway's history to the sink, which could then
-- rewrite which migrations ran. A later migration that adds a table grants on it by name in the same way.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kafkacoins_sink') THEN
        GRANT USAGE ON SCHEMA public TO kafkacoins_sink;
        -- DELETE: the sink prunes rate windows past their retention.
        GRANT SELECT, INSERT, UPDATE, DELETE ON hash_rates, hasher_totals, coins TO kafkacoins_sink;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kafkacoins_webui') THEN
        GRANT USAGE ON SCHEMA public TO kafkacoins_webui;
        GRANT SELECT ON hash_rates, hasher_totals, coins TO kafkacoins_webui;
    END IF;
END
$$;
-- Only the owner (the role that migrates) reads or writes the migration history.
REVOKE ALL ON ${flyway:table} FROM PUBLIC;
