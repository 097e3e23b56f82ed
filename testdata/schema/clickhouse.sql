CREATE TABLE `agents` (`id` Int64, `agent_name` Nullable(String)) ENGINE = MergeTree() ORDER BY (`id`);

CREATE TABLE `metrics` (`id` Int64, `name` Nullable(String), `eval_type` Nullable(String)) ENGINE = MergeTree() ORDER BY (`id`);

CREATE TABLE `call_logs` (`id` Int64, `timestamp` Int64, `duration` Nullable(String), `success` Nullable(UInt8), `is_reviewed` Nullable(UInt8), `call_ended_reason` Nullable(String), `dropoff_point` Nullable(String), `topic` Nullable(String), `customer_number` Nullable(String), `agent_id` Nullable(Int64), `metadata` Nullable(String)) ENGINE = MergeTree() ORDER BY (`timestamp`, `id`);

CREATE TABLE `metric_evaluations` (`id` Int64, `call_log_id` Int64, `metric_id` Int64, `value_number` Nullable(String), `value_bool` Nullable(UInt8), `value_text` Nullable(String)) ENGINE = MergeTree() ORDER BY (`call_log_id`, `metric_id`, `id`);
