CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    migration_id character varying(150) NOT NULL,
    product_version character varying(32) NOT NULL,
    CONSTRAINT pk___ef_migrations_history PRIMARY KEY (migration_id)
);

START TRANSACTION;
CREATE TABLE outbox_messages (
    id bigint GENERATED ALWAYS AS IDENTITY,
    message_id uuid NOT NULL,
    message_type character varying(256) NOT NULL,
    payload jsonb NOT NULL,
    shipment_id uuid,
    trace_parent character varying(128),
    created_at timestamp with time zone NOT NULL,
    sent_at timestamp with time zone,
    attempts integer NOT NULL,
    last_error character varying(1024),
    CONSTRAINT "PK_outbox_messages" PRIMARY KEY (id)
);

CREATE TABLE shipments (
    id uuid NOT NULL,
    version bigint NOT NULL,
    state character varying(16) NOT NULL,
    shipper character varying(128) NOT NULL,
    exporter_country character(2) NOT NULL,
    importer_country character(2) NOT NULL,
    origin_country character(2) NOT NULL,
    grade character varying(128) NOT NULL,
    quantity_value numeric NOT NULL,
    quantity_unit character varying(16) NOT NULL,
    barrels_per_tonne numeric NOT NULL,
    barrels_per_tonne_given boolean NOT NULL,
    barrels numeric(19,3) NOT NULL,
    tonnes numeric(19,3) NOT NULL,
    value_usd numeric(19,2),
    load_date date NOT NULL,
    delivery_date date,
    load_port character varying(128),
    discharge_port character varying(128),
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    request_id character varying(128),
    request_fingerprint character varying(64),
    CONSTRAINT "PK_shipments" PRIMARY KEY (id)
);

CREATE UNIQUE INDEX "IX_outbox_messages_message_id" ON outbox_messages (message_id);

CREATE INDEX ix_outbox_messages_sent_at ON outbox_messages (sent_at) WHERE sent_at IS NOT NULL;

CREATE INDEX ix_outbox_messages_unsent ON outbox_messages (id) WHERE sent_at IS NULL;

CREATE INDEX ix_shipments_load_date_id ON shipments (load_date DESC, id DESC);

CREATE INDEX ix_shipments_pair_load_date ON shipments (exporter_country, importer_country, load_date);

CREATE UNIQUE INDEX ux_shipments_request_id ON shipments (request_id);

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261128020320_Initial', '10.0.15');

COMMIT;

START TRANSACTION;
ALTER TABLE shipments ADD cancel_reason character varying(512);

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261128021710_CancelReason', '10.0.15');

COMMIT;

START TRANSACTION;
CREATE TABLE republish_operations (
    id uuid NOT NULL,
    state character varying(16) NOT NULL,
    request bytea NOT NULL,
    total_count bigint NOT NULL,
    republished_count bigint NOT NULL,
    cursor uuid,
    error character varying(1024),
    cancel_requested boolean NOT NULL,
    created_by character varying(256),
    create_time timestamp with time zone NOT NULL,
    update_time timestamp with time zone NOT NULL,
    end_time timestamp with time zone,
    CONSTRAINT "PK_republish_operations" PRIMARY KEY (id)
);

CREATE INDEX ix_republish_operations_running ON republish_operations (create_time) WHERE state = 'Running';

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261201061319_RepublishOperations', '10.0.15');

COMMIT;

START TRANSACTION;
UPDATE shipments SET load_date = CASE WHEN load_date = '-infinity' THEN DATE '0001-01-01' WHEN load_date = 'infinity' THEN DATE '9999-12-31' ELSE load_date END
WHERE load_date IN ('-infinity', 'infinity');
UPDATE shipments SET delivery_date = CASE WHEN delivery_date = '-infinity' THEN DATE '0001-01-01' ELSE DATE '9999-12-31' END
WHERE delivery_date IN ('-infinity', 'infinity');

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261201072658_FiniteDates', '10.0.15');

COMMIT;

START TRANSACTION;
ALTER TABLE shipments RENAME CONSTRAINT "PK_shipments" TO pk_shipments;
ALTER TABLE republish_operations RENAME CONSTRAINT "PK_republish_operations" TO pk_republish_operations;
ALTER TABLE outbox_messages RENAME CONSTRAINT "PK_outbox_messages" TO pk_outbox_messages;
ALTER INDEX "IX_outbox_messages_message_id" RENAME TO ix_outbox_messages_message_id;

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261201104839_SnakeCaseKeyNames', '10.0.15');

COMMIT;

START TRANSACTION;
ALTER TABLE shipments ADD buyer character varying(128);

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261201113521_Buyer', '10.0.15');

COMMIT;

START TRANSACTION;
ALTER TABLE shipments ALTER COLUMN origin_country DROP NOT NULL;

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261201134025_UndisclosedOrigin', '10.0.15');

COMMIT;

