CREATE TABLE "agents" ("id" BIGINT PRIMARY KEY, "agent_name" TEXT COLLATE "C");

CREATE TABLE "metrics" ("id" BIGINT PRIMARY KEY, "name" TEXT COLLATE "C", "eval_type" TEXT COLLATE "C");

CREATE TABLE "call_logs" ("id" BIGINT PRIMARY KEY, "timestamp" TIMESTAMPTZ NOT NULL, "duration" NUMERIC, "success" BOOLEAN, "is_reviewed" BOOLEAN, "call_ended_reason" TEXT COLLATE "C", "dropoff_point" TEXT COLLATE "C", "topic" TEXT COLLATE "C", "customer_number" TEXT COLLATE "C", "agent_id" BIGINT, "metadata" JSONB);

CREATE TABLE "metric_evaluations" ("id" BIGINT PRIMARY KEY, "call_log_id" BIGINT NOT NULL, "metric_id" BIGINT NOT NULL, "value_number" NUMERIC, "value_bool" BOOLEAN, "value_text" TEXT COLLATE "C");

CREATE INDEX "call_logs_timestamp" ON "call_logs" ("timestamp");

CREATE INDEX "metric_evaluations_call_log_id_metric_id" ON "metric_evaluations" ("call_log_id", "metric_id");
