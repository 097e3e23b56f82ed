CREATE TABLE "agents" ("id" INTEGER PRIMARY KEY, "agent_name" TEXT);

CREATE TABLE "metrics" ("id" INTEGER PRIMARY KEY, "name" TEXT, "eval_type" TEXT);

CREATE TABLE "call_logs" ("id" INTEGER PRIMARY KEY, "timestamp" INTEGER NOT NULL, "duration" TEXT COLLATE calldash_decimal, "success" INTEGER, "is_reviewed" INTEGER, "call_ended_reason" TEXT, "dropoff_point" TEXT, "topic" TEXT, "customer_number" TEXT, "agent_id" INTEGER, "metadata" TEXT);

CREATE TABLE "metric_evaluations" ("id" INTEGER PRIMARY KEY, "call_log_id" INTEGER NOT NULL, "metric_id" INTEGER NOT NULL, "value_number" TEXT COLLATE calldash_decimal, "value_bool" INTEGER, "value_text" TEXT);

CREATE INDEX "call_logs_timestamp" ON "call_logs" ("timestamp");

CREATE INDEX "metric_evaluations_call_log_id_metric_id" ON "metric_evaluations" ("call_log_id", "metric_id");
