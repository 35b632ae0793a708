-- Achterban on PostgreSQL with two roles: the owner runs the migrations, the app only
-- reads and writes data. The app role may append to the audit log but cannot change,
-- delete or truncate it, alter its tables or disable their triggers.
--
--   psql -h HOST -U postgres -v owner=achterban_owner -v owner_password=... \
--        -v app=achterban_app -v app_password=... -v db=achterban -f infra/postgres-roles.sql
--
-- Then set ACHTERBAN_MIGRATE_DATABASE_URL=postgresql://OWNER:...@HOST/DB (for
-- `achterban migrate`, which grants the app role its rights after migrating) and
-- ACHTERBAN_DATABASE_URL=postgresql://APP:...@HOST/DB (for `serve` and `worker`).
-- Run as a superuser. Neither role is a superuser; `infra/postgres-roles.sh` wraps this.
\set ON_ERROR_STOP on

CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
CREATE DATABASE :"db" OWNER :"owner";

\connect :"db"
-- only the owner creates objects; the app connects and uses what it is granted
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"app";
GRANT USAGE ON SCHEMA public TO :"app";
