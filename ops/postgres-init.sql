-- docker compose: the PostgreSQL container runs this once, on its first start (empty data volume).
-- One database per service; `colo-migrate <service>` creates the schema (and the database too if missing).
CREATE DATABASE colo_clients;
CREATE DATABASE colo_orders;
CREATE DATABASE colo_billing;
CREATE DATABASE colo_notifications;
CREATE DATABASE colo_stock;
CREATE DATABASE colo_identity;
