CREATE TABLE `agents` (`id` BIGINT NOT NULL PRIMARY KEY, `agent_name` TEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE `metrics` (`id` BIGINT NOT NULL PRIMARY KEY, `name` TEXT, `eval_type` TEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE `call_logs` (`id` BIGINT NOT NULL PRIMARY KEY, `timestamp` DATETIME(6) NOT NULL, `duration` DECIMAL(65,30), `success` BOOLEAN, `is_reviewed` BOOLEAN, `call_ended_reason` TEXT, `dropoff_point` TEXT, `topic` TEXT, `customer_number` TEXT, `agent_id` BIGINT, `metadata` LONGTEXT CHECK (`metadata` IS NULL OR JSON_VALID(`metadata`))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE TABLE `metric_evaluations` (`id` BIGINT NOT NULL PRIMARY KEY, `call_log_id` BIGINT NOT NULL, `metric_id` BIGINT NOT NULL, `value_number` DECIMAL(65,30), `value_bool` BOOLEAN, `value_text` TEXT) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin;

CREATE INDEX `call_logs_timestamp` ON `call_logs` (`timestamp`);

CREATE INDEX `metric_evaluations_call_log_id_metric_id` ON `metric_evaluations` (`call_log_id`, `metric_id`);
