CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    migration_id character varying(150) NOT NULL,
    product_version character varying(32) NOT NULL,
    CONSTRAINT pk___ef_migrations_history PRIMARY KEY (migration_id)
);

START TRANSACTION;
CREATE TABLE applied_shipments (
    shipment_id uuid NOT NULL,
    version bigint NOT NULL,
    contributes boolean NOT NULL,
    exporter_country character(2),
    importer_country character(2),
    origin_country character(2),
    month date,
    barrels numeric(19,3) NOT NULL,
    tonnes numeric(19,3) NOT NULL,
    value_usd numeric(19,2),
    message_id uuid,
    applied_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_applied_shipments" PRIMARY KEY (shipment_id)
);

CREATE TABLE bilateral_totals (
    exporter_country character(2) NOT NULL,
    importer_country character(2) NOT NULL,
    origin_country character(2) NOT NULL,
    month date NOT NULL,
    shipment_count bigint NOT NULL,
    barrels numeric(24,3) NOT NULL,
    tonnes numeric(24,3) NOT NULL,
    value_usd numeric(24,2) NOT NULL,
    valued_shipment_count bigint NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_bilateral_totals" PRIMARY KEY (exporter_country, importer_country, origin_country, month)
);

CREATE INDEX ix_bilateral_totals_importer ON bilateral_totals (importer_country, exporter_country, month);

CREATE INDEX ix_bilateral_totals_origin ON bilateral_totals (origin_country, importer_country, month);

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261128020532_Initial', '10.0.15');

COMMIT;

START TRANSACTION;
CREATE TABLE refused_events (
    message_id uuid NOT NULL,
    shipment_id uuid NOT NULL,
    version bigint,
    exporter_country character(2),
    importer_country character(2),
    origin_country character(2),
    month date,
    barrels numeric,
    reason character varying(2000) NOT NULL,
    refused_at timestamp with time zone NOT NULL,
    CONSTRAINT "PK_refused_events" PRIMARY KEY (message_id, shipment_id)
);

CREATE INDEX ix_refused_events_shipment ON refused_events (shipment_id);

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261201054347_RefusedEvents', '10.0.15');

COMMIT;

START TRANSACTION;
UPDATE bilateral_totals SET month = DATE '0001-01-01' WHERE month = '-infinity';
UPDATE applied_shipments SET month = DATE '0001-01-01' WHERE month = '-infinity';
UPDATE refused_events SET month = DATE '0001-01-01' WHERE month = '-infinity';

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261201072719_FiniteDates', '10.0.15');

COMMIT;

START TRANSACTION;
ALTER TABLE refused_events RENAME CONSTRAINT "PK_refused_events" TO pk_refused_events;
ALTER TABLE bilateral_totals RENAME CONSTRAINT "PK_bilateral_totals" TO pk_bilateral_totals;
ALTER TABLE applied_shipments RENAME CONSTRAINT "PK_applied_shipments" TO pk_applied_shipments;

INSERT INTO "__EFMigrationsHistory" (migration_id, product_version)
VALUES ('20261201104845_SnakeCaseKeyNames', '10.0.15');

COMMIT;

