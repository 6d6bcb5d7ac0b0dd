-- Least privilege: the migrations' role owns the schema (it runs this), the sink writes the rows, the dashboard
-- reads them. The roles themselves, with their passwords, are created before the first migration by whoever set up
-- the server (./miner's PostgreSQL, or the postgres StatefulSet's init script on Kubernetes); a database without
-- them (a test's throw-away server) gets no grants, and only its superuser can use it.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kafkacoins_sink') THEN
        GRANT USAGE ON SCHEMA public TO kafkacoins_sink;
        -- DELETE: the sink prunes rate windows past their retention.
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO kafkacoins_sink;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO kafkacoins_sink;
        -- and the same on what later migrations create (they run as the same role)
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO kafkacoins_sink;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO kafkacoins_sink;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'kafkacoins_webui') THEN
        GRANT USAGE ON SCHEMA public TO kafkacoins_webui;
        GRANT SELECT ON ALL TABLES IN SCHEMA public TO kafkacoins_webui;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO kafkacoins_webui;
    END IF;
END
$$;
