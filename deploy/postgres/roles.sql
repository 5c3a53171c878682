-- The PostgreSQL roles and databases of EnergyTrade, least privilege: each service logs in as a role
-- of its own that owns its database and everything in it, and can do nothing else: not a superuser,
-- cannot create databases or roles, cannot connect to the other service's database. A third role,
-- for monitoring (postgres_exporter), can read the server's statistics (pg_monitor) and nothing else.
--
--   psql -X -v ON_ERROR_STOP=1 -v shipments_password=… -v trade_password=… -v monitor_password=… -f roles.sql
--
-- connected to the `postgres` database as a superuser (docker-compose.yml's postgres-roles job: the
-- image's bootstrap superuser, POSTGRES_USER), or as a role with CREATEROLE and CREATEDB that owns
-- whatever is to be converted (docker-compose.ha.yml: the formation's administrator). The passwords
-- may come from the environment instead: SHIPMENTS_DB_PASSWORD, TRADE_DB_PASSWORD, MONITOR_DB_PASSWORD
-- (so they are not on a command line). Needs psql 15 or later (\getenv).
--
-- Idempotent, and meant to be run on every start:
--   * the roles are created when missing, and their passwords set every time (rotation: change the
--     password, run this again, restart the service);
--   * the databases are created when missing, owned by their role;
--   * an existing database, e.g. one a service created and migrated while it still connected as the
--     superuser, is converted: the database, its schemas and every table, view, sequence, routine
--     and type in them are given to the service's role. REASSIGN OWNED BY <superuser> cannot do this:
--     the bootstrap superuser also owns the system catalogs, which cannot be reassigned.
--
-- Names, with their defaults (tests pass others):
--   shipments_role energytrade_shipments   shipments_db energytrade_shipments
--   trade_role     energytrade_trade       trade_db     energytrade_trade
--   monitor_role   energytrade_monitor
\set ON_ERROR_STOP on

\if :{?shipments_role} \else \set shipments_role energytrade_shipments \endif
\if :{?trade_role} \else \set trade_role energytrade_trade \endif
\if :{?monitor_role} \else \set monitor_role energytrade_monitor \endif
\if :{?shipments_db} \else \set shipments_db energytrade_shipments \endif
\if :{?trade_db} \else \set trade_db energytrade_trade \endif
\if :{?shipments_password} \else \getenv shipments_password SHIPMENTS_DB_PASSWORD \endif
\if :{?trade_password} \else \getenv trade_password TRADE_DB_PASSWORD \endif
\if :{?monitor_password} \else \getenv monitor_password MONITOR_DB_PASSWORD \endif

SELECT NOT (:{?shipments_password} AND :{?trade_password} AND :{?monitor_password}) AS missing_password \gset
\if :missing_password
DO $$ BEGIN RAISE EXCEPTION 'roles.sql: a password is missing. Pass -v shipments_password=... -v trade_password=... -v monitor_password=..., or set SHIPMENTS_DB_PASSWORD, TRADE_DB_PASSWORD and MONITOR_DB_PASSWORD (scripts/compose-secrets.sh writes them to .env).'; END $$;
\endif
SELECT :'shipments_password' = '' OR :'trade_password' = '' OR :'monitor_password' = '' AS empty_password \gset
\if :empty_password
DO $$ BEGIN RAISE EXCEPTION 'roles.sql: a password is empty (scripts/compose-secrets.sh writes them to .env).'; END $$;
\endif

-- The same rule on every server this runs on, whatever its password_encryption says.
SET password_encryption = 'scram-sha-256';

-- ------------------------------------------------------------------ roles
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS', r)
FROM (VALUES (:'shipments_role'), (:'trade_role'), (:'monitor_role')) AS v(r)
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) \gexec

-- A role someone gave more than this script does loses it (only a superuser may take these back).
SELECT format('ALTER ROLE %I NOSUPERUSER NOREPLICATION NOBYPASSRLS', rolname)
FROM pg_roles
WHERE rolname IN (:'shipments_role', :'trade_role', :'monitor_role') AND (rolsuper OR rolreplication OR rolbypassrls) \gexec

ALTER ROLE :"shipments_role" WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE CONNECTION LIMIT -1 VALID UNTIL 'infinity' PASSWORD :'shipments_password';
ALTER ROLE :"trade_role" WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE CONNECTION LIMIT -1 VALID UNTIL 'infinity' PASSWORD :'trade_password';
ALTER ROLE :"monitor_role" WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE CONNECTION LIMIT -1 VALID UNTIL 'infinity' PASSWORD :'monitor_password';

-- Their memberships: the monitoring role's pg_monitor, and nothing else for any of them.
SELECT format('REVOKE %I FROM %I', g.rolname, m.rolname)
FROM pg_auth_members a
JOIN pg_roles g ON g.oid = a.roleid
JOIN pg_roles m ON m.oid = a.member
WHERE m.rolname IN (:'shipments_role', :'trade_role', :'monitor_role')
  AND NOT (m.rolname = :'monitor_role' AND g.rolname = 'pg_monitor') \gexec
SELECT format('GRANT pg_monitor TO %I', :'monitor_role')
WHERE NOT EXISTS (SELECT FROM pg_auth_members a
                  WHERE a.roleid = 'pg_monitor'::regrole AND a.member = (SELECT oid FROM pg_roles WHERE rolname = :'monitor_role')) \gexec

-- A runner that is not a superuser (the HA formation's administrator) may create a database owned by
-- a role, or give it one, only as a member of that role (PostgreSQL 15); a superuser needs nothing.
SELECT format('GRANT %I TO %I', r, current_user)
FROM (VALUES (:'shipments_role'), (:'trade_role')) AS v(r)
WHERE NOT pg_has_role(current_user, r, 'MEMBER') \gexec

-- ------------------------------------------------------------------ databases
-- CREATE DATABASE cannot run in a DO block or a function: \gexec runs each generated statement.
SELECT format('CREATE DATABASE %I OWNER %I', d, r)
FROM (VALUES (:'shipments_db', :'shipments_role'), (:'trade_db', :'trade_role')) AS v(d, r)
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = d) \gexec

-- An existing database (e.g. created by a service connecting as the superuser) changes owner.
SELECT format('ALTER DATABASE %I OWNER TO %I', d, r)
FROM (VALUES (:'shipments_db', :'shipments_role'), (:'trade_db', :'trade_role')) AS v(d, r)
JOIN pg_database ON datname = d
WHERE datdba <> (SELECT oid FROM pg_roles WHERE rolname = r) \gexec

-- Only the owner connects (PUBLIC may connect to, and make temporary tables in, any new database).
REVOKE ALL ON DATABASE :"shipments_db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"shipments_db" TO :"shipments_role";
REVOKE ALL ON DATABASE :"trade_db" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"trade_db" TO :"trade_role";

-- ------------------------------------------------------------------ what is in them
-- Run in each database (connected to it): gives the database's owner every object in its schemas
-- that someone else owns. The schemas themselves (but a public schema owned by pg_database_owner,
-- PostgreSQL 15's default, which is the database's owner already); tables, partitioned tables,
-- views, materialized views, foreign tables, sequences and composite types; routines (functions,
-- procedures, aggregates); domains, enums, ranges, multiranges and base types; statistics objects,
-- collations, conversions, operators, operator classes and families, text search configurations and
-- dictionaries. Indexes, TOAST tables, triggers, rules and policies go with their table; a sequence
-- that belongs to a column (serial, identity) goes with its table too, and cannot be given away by
-- itself; an array type goes with its element type. Objects of an extension are left to it.
-- Kept in a psql variable, so the one text serves both databases.
SELECT $own$
DO $do$
DECLARE
    target oid := (SELECT datdba FROM pg_database WHERE datname = current_database());
    target_name name := pg_get_userbyid(target);
    o record;
    changed int := 0;
BEGIN
    FOR o IN
        WITH user_schema AS (
            SELECT oid, nspname FROM pg_namespace
            WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%'),
        extension_member AS (
            SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
        SELECT format('ALTER SCHEMA %I OWNER TO %I', n.nspname, target_name) AS statement
        FROM user_schema n JOIN pg_namespace s ON s.oid = n.oid
        WHERE s.nspowner NOT IN (target, 'pg_database_owner'::regrole)
          AND (s.tableoid, s.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER %s %s OWNER TO %I',
                   CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                                  WHEN 'S' THEN 'SEQUENCE' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END,
                   c.oid::regclass, target_name)
        FROM pg_class c JOIN user_schema n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S', 'c') AND c.relowner <> target
          AND (c.tableoid, c.oid) NOT IN (SELECT * FROM extension_member)
          AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d
                   WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                     AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
        UNION ALL
        SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, target_name)
        FROM pg_proc p JOIN user_schema n ON n.oid = p.pronamespace
        WHERE p.proowner <> target AND (p.tableoid, p.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER %s %s OWNER TO %I', CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, t.oid::regtype, target_name)
        FROM pg_type t JOIN user_schema n ON n.oid = t.typnamespace
        WHERE t.typtype IN ('b', 'd', 'e', 'r', 'm') AND t.typowner <> target
          AND NOT EXISTS (SELECT FROM pg_type e WHERE e.typarray = t.oid)
          AND (t.tableoid, t.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER STATISTICS %I.%I OWNER TO %I', n.nspname, x.stxname, target_name)
        FROM pg_statistic_ext x JOIN user_schema n ON n.oid = x.stxnamespace
        WHERE x.stxowner <> target AND (x.tableoid, x.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER COLLATION %I.%I OWNER TO %I', n.nspname, x.collname, target_name)
        FROM pg_collation x JOIN user_schema n ON n.oid = x.collnamespace
        WHERE x.collowner <> target AND (x.tableoid, x.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER CONVERSION %I.%I OWNER TO %I', n.nspname, x.conname, target_name)
        FROM pg_conversion x JOIN user_schema n ON n.oid = x.connamespace
        WHERE x.conowner <> target AND (x.tableoid, x.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER OPERATOR %s OWNER TO %I', x.oid::regoperator, target_name)
        FROM pg_operator x JOIN user_schema n ON n.oid = x.oprnamespace
        WHERE x.oprowner <> target AND (x.tableoid, x.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER OPERATOR CLASS %I.%I USING %I OWNER TO %I', n.nspname, x.opcname, a.amname, target_name)
        FROM pg_opclass x JOIN user_schema n ON n.oid = x.opcnamespace JOIN pg_am a ON a.oid = x.opcmethod
        WHERE x.opcowner <> target AND (x.tableoid, x.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER OPERATOR FAMILY %I.%I USING %I OWNER TO %I', n.nspname, x.opfname, a.amname, target_name)
        FROM pg_opfamily x JOIN user_schema n ON n.oid = x.opfnamespace JOIN pg_am a ON a.oid = x.opfmethod
        WHERE x.opfowner <> target AND (x.tableoid, x.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER TEXT SEARCH CONFIGURATION %s OWNER TO %I', x.oid::regconfig, target_name)
        FROM pg_ts_config x JOIN user_schema n ON n.oid = x.cfgnamespace
        WHERE x.cfgowner <> target AND (x.tableoid, x.oid) NOT IN (SELECT * FROM extension_member)
        UNION ALL
        SELECT format('ALTER TEXT SEARCH DICTIONARY %s OWNER TO %I', x.oid::regdictionary, target_name)
        FROM pg_ts_dict x JOIN user_schema n ON n.oid = x.dictnamespace
        WHERE x.dictowner <> target AND (x.tableoid, x.oid) NOT IN (SELECT * FROM extension_member)
    LOOP
        EXECUTE o.statement;
        changed := changed + 1;
    END LOOP;
    IF changed > 0 THEN
        RAISE NOTICE 'roles.sql: gave % object(s) of database % to %', changed, current_database(), target_name;
    END IF;
END
$do$
$own$ AS own_everything \gset

\connect :"shipments_db"
:own_everything;
\connect :"trade_db"
:own_everything;

-- ------------------------------------------------------------------ the runner itself
-- With -v demote_runner=on (docker-compose.ha.yml), a runner that is a superuser keeps only CREATEROLE
-- and CREATEDB once all of the above is done: the HA formation's administrator, a superuser in
-- earlier releases. Later runs work without (as a member of the services' roles, granted above).
-- Never the bootstrap superuser (OID 10, e.g. the postgres image's POSTGRES_USER): PostgreSQL 15
-- would let it go, and leave the server without a superuser.
\if :{?demote_runner}
SELECT format('ALTER ROLE %I NOSUPERUSER NOREPLICATION NOBYPASSRLS CREATEROLE CREATEDB', current_user)
FROM pg_roles WHERE rolname = current_user AND rolsuper AND oid <> 10 \gexec
\endif
