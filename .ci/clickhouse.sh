#!/usr/bin/env bash
# Start or stop a throwaway two-shard ClickHouse cluster on loopback ports,
# for calldash's ClickHouse tests (issue 5). No system service is involved:
# two clickhouse-server processes run in the background, each with its own
# data folder under one fresh temporary directory.
#
#   .ci/clickhouse.sh start ENVFILE   install clickhouse-server when missing,
#                                     start both servers, wait until they
#                                     answer, write ENVFILE (sourceable):
#                                       CALLDASH_CLICKHOUSE_DSN   shard 1 (clickhouse://127.0.0.1:PORT/default)
#                                       CALLDASH_CLICKHOUSE_DSN2  shard 2
#                                       CALLDASH_CLICKHOUSE_CLUSTER=calldash
#                                       CALLDASH_CLICKHOUSE_DIR   the temporary directory
#   .ci/clickhouse.sh stop ENVFILE    stop what start started, remove its folder
#                                     and ENVFILE. Safe to call twice.
#
# Both servers know the cluster "calldash": shard 1 is server 1, shard 2 is
# server 2, so a Distributed table created on server 1 spreads rows over
# both. Server time zone is UTC.
set -euo pipefail

die() { echo "clickhouse.sh: $*" >&2; exit 1; }

usage() { die "usage: $0 start|stop ENVFILE"; }

[ $# -eq 2 ] || usage
cmd=$1
envfile=$2

# How long to wait for a server to answer, in seconds.
START_TIMEOUT=${CALLDASH_CLICKHOUSE_START_TIMEOUT:-60}

find_server() {
	local b
	for b in clickhouse-server /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
		if command -v "$b" >/dev/null 2>&1; then
			command -v "$b"
			return 0
		fi
	done
	return 1
}

install_server() {
	echo "clickhouse.sh: clickhouse-server missing, installing Debian's package" >&2
	command -v apt-get >/dev/null 2>&1 || die "clickhouse-server is missing and apt-get is not available"
	local sudo=
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -q >&2 || die "apt-get update failed"
	$sudo apt-get install -y -q --no-install-recommends clickhouse-server >&2 ||
		die "apt-get install clickhouse-server failed"
	# The package may start a system service; ours do not use it, and it
	# would hold the default ports. Leave it alone: we use free ports.
}

# free_port prints a loopback TCP port nobody listens on (and that this run
# has not handed out yet).
taken=" "
free_port() {
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + RANDOM % 40000))
		case "$taken" in *" $p "*) continue ;; esac
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			taken="$taken$p "
			echo "$p"
			return 0
		fi
	done
	die "no free loopback port found"
}

write_config() { # dir tcp http cluster_xml
	local dir=$1 tcp=$2 http=$3 cluster=$4
	mkdir -p "$dir/data" "$dir/tmp" "$dir/user_files" "$dir/log"
	cat >"$dir/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>$dir/log/server.log</log>
        <errorlog>$dir/log/server.err.log</errorlog>
        <size>100M</size>
        <count>1</count>
        <console>0</console>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <tcp_port>$tcp</tcp_port>
    <http_port>$http</http_port>
    <max_connections>256</max_connections>
    <keep_alive_timeout>3</keep_alive_timeout>
    <max_concurrent_queries>50</max_concurrent_queries>
    <uncompressed_cache_size>67108864</uncompressed_cache_size>
    <mark_cache_size>67108864</mark_cache_size>
    <path>$dir/data/</path>
    <tmp_path>$dir/tmp/</tmp_path>
    <user_files_path>$dir/user_files/</user_files_path>
    <users_config>$dir/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <timezone>UTC</timezone>
    <mlock_executable>false</mlock_executable>
    <remote_servers>
$cluster
    </remote_servers>
    <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
    <max_session_timeout>3600</max_session_timeout>
    <default_session_timeout>60</default_session_timeout>
</yandex>
EOF
	cat >"$dir/users.xml" <<EOF
<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>2000000000</max_memory_usage>
            <load_balancing>in_order</load_balancing>
            <!-- What calldash's ClickHouse SQL needs (dialect/clickhouse.go):
                 NULL for unmatched LEFT JOIN columns; subqueries and joins
                 over a second Distributed table stay inside each shard
                 (calls and their evaluations are co-located); an INSERT
                 into a Distributed table returns once the shards have it.
                 distributed_product_mode is a string setting, which
                 clickhouse-go cannot send to an 18.16 server, so it lives
                 in the profile. -->
            <join_use_nulls>1</join_use_nulls>
            <distributed_product_mode>local</distributed_product_mode>
            <insert_distributed_sync>1</insert_distributed_sync>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
EOF
}

# wait_http port pid logdir: wait until the server answers SELECT 1 over HTTP.
wait_http() {
	local port=$1 pid=$2 log=$3 i
	for i in $(seq 1 $((START_TIMEOUT * 5))); do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "clickhouse.sh: server on port $port exited; its log:" >&2
			tail -n 30 "$log"/*.log >&2 2>/dev/null || true
			return 1
		fi
		if [ "$(curl -s -m 2 "http://127.0.0.1:$port/?query=SELECT%201" 2>/dev/null)" = "1" ]; then
			return 0
		fi
		sleep 0.2
	done
	echo "clickhouse.sh: server on port $port did not answer within ${START_TIMEOUT}s; its log:" >&2
	tail -n 30 "$log"/*.log >&2 2>/dev/null || true
	return 1
}

start() {
	[ ! -e "$envfile" ] || die "$envfile exists: stop the running cluster first ($0 stop $envfile)"
	local server
	server=$(find_server) || { install_server; server=$(find_server) || die "clickhouse-server not found after install"; }
	command -v curl >/dev/null 2>&1 || die "curl is needed to probe the servers"

	local t0=$SECONDS
	local dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/calldash-clickhouse.XXXXXX")
	local tcp1 http1 tcp2 http2
	tcp1=$(free_port); taken="$taken$tcp1 "
	http1=$(free_port); taken="$taken$http1 "
	tcp2=$(free_port); taken="$taken$tcp2 "
	http2=$(free_port); taken="$taken$http2 "

	local cluster="        <calldash>
            <shard><replica><host>127.0.0.1</host><port>$tcp1</port></replica></shard>
            <shard><replica><host>127.0.0.1</host><port>$tcp2</port></replica></shard>
        </calldash>"
	write_config "$dir/s1" "$tcp1" "$http1" "$cluster"
	write_config "$dir/s2" "$tcp2" "$http2" "$cluster"

	# Write the env file first, so that stop can clean up a half start.
	cat >"$envfile" <<EOF
export CALLDASH_CLICKHOUSE_DIR='$dir'
export CALLDASH_CLICKHOUSE_DSN='clickhouse://127.0.0.1:$tcp1/default'
export CALLDASH_CLICKHOUSE_DSN2='clickhouse://127.0.0.1:$tcp2/default'
export CALLDASH_CLICKHOUSE_HTTP='http://127.0.0.1:$http1'
export CALLDASH_CLICKHOUSE_HTTP2='http://127.0.0.1:$http2'
export CALLDASH_CLICKHOUSE_CLUSTER='calldash'
EOF

	local s pids=()
	for s in s1 s2; do
		# setsid: its own process group, so stop can end it and its children.
		(cd "$dir/$s" && exec setsid "$server" --config-file="$dir/$s/config.xml" \
			>"$dir/$s/log/stdout.log" 2>"$dir/$s/log/stderr.log" </dev/null) &
		echo $! >"$dir/$s/pid"
		pids+=($!)
	done
	if ! wait_http "$http1" "${pids[0]}" "$dir/s1/log" || ! wait_http "$http2" "${pids[1]}" "$dir/s2/log"; then
		stop
		die "start failed"
	fi
	echo "clickhouse.sh: two servers up in $((SECONDS - t0))s: tcp $tcp1,$tcp2 http $http1,$http2 ($dir)" >&2
}

stop() {
	[ -e "$envfile" ] || return 0
	local dir
	dir=$(sed -n "s/^export CALLDASH_CLICKHOUSE_DIR='\(.*\)'$/\1/p" "$envfile")
	case "$dir" in
	"${TMPDIR:-/tmp}"/calldash-clickhouse.*) ;;
	*) die "$envfile does not name a calldash ClickHouse folder" ;;
	esac
	local s pid i
	for s in s1 s2; do
		[ -f "$dir/$s/pid" ] || continue
		pid=$(cat "$dir/$s/pid")
		kill -TERM "$pid" 2>/dev/null || true
	done
	for s in s1 s2; do
		[ -f "$dir/$s/pid" ] || continue
		pid=$(cat "$dir/$s/pid")
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$pid" 2>/dev/null; then
			echo "clickhouse.sh: server $s (pid $pid) ignored TERM for 10s, killing it" >&2
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	rm -rf "$dir"
	rm -f "$envfile"
}

case "$cmd" in
start) start ;;
stop) stop ;;
*) usage ;;
esac
