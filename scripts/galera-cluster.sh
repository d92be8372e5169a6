#!/usr/bin/env bash
# A three-node MariaDB Galera Cluster on this one machine, for the tests and the bench that need
# synchronous multi-master replication and a node that dies mid-rush.
#
#   galera-cluster.sh up        install the packages if missing, create three data folders, bootstrap
#                               node 1, join nodes 2 and 3 (rsync SST), print the URLs (idempotent)
#   galera-cluster.sh down      stop every node (SIGTERM, SIGKILL after 30 s) and remove GALERA_DIR
#   galera-cluster.sh kill N    SIGKILL node N's mariadbd
#   galera-cluster.sh start N   start node N again, joining the running cluster (IST or SST)
#   galera-cluster.sh status    per node: up/down, wsrep_local_state_comment, wsrep_cluster_size
#   galera-cluster.sh urls      print the GALERA_URLS line
#
# Every node runs with --no-defaults and explicit options: the machine has its own MariaDB on 3306,
# whose datadir, socket and configuration must never be touched. Root has an empty password and the
# nodes listen on 127.0.0.1 only. Progress goes to stderr; stdout carries the URLs, the last line
# being GALERA_URLS=<url>,<url>,<url>. Needs root (apt-get, data folders owned by mysql).
#
# Environment (defaults): GALERA_DIR (/tmp/ttms-galera), GALERA_PORT_BASE (3310: SQL on 3311-3313),
# GALERA_GCOMM_PORT_BASE (24560: group communication on 24561-24563), GALERA_IST_PORT_BASE (24570:
# IST receivers on 24571-24573), GALERA_SST_PORT_BASE (24580: rsync SST receivers on 24581-24583),
# GALERA_TIMEOUT (300: seconds a node may take to become Synced). The Galera ranges sit below the
# kernel's ephemeral ports (32768+) and away from Galera's defaults (4444, 4567, 4568), so another
# cluster or a client's outgoing connection can't take them.
set -euo pipefail

GALERA_DIR=${GALERA_DIR:-/tmp/ttms-galera}
GALERA_PORT_BASE=${GALERA_PORT_BASE:-3310}
GALERA_GCOMM_PORT_BASE=${GALERA_GCOMM_PORT_BASE:-24560}
GALERA_IST_PORT_BASE=${GALERA_IST_PORT_BASE:-24570}
GALERA_SST_PORT_BASE=${GALERA_SST_PORT_BASE:-24580}
GALERA_TIMEOUT=${GALERA_TIMEOUT:-300}
readonly PROVIDER=/usr/lib/galera/libgalera_smm.so
readonly MARIADBD=/usr/sbin/mariadbd
readonly NODES=(1 2 3)
# Written into GALERA_DIR when `up` creates it: `down` removes only a folder that carries it.
readonly MARKER=.ttms-galera-cluster

say() { printf 'galera: %s\n' "$*" >&2; }
die() {
  printf 'galera: error: %s\n' "$*" >&2
  exit 1
}

for value in "$GALERA_PORT_BASE" "$GALERA_GCOMM_PORT_BASE" "$GALERA_IST_PORT_BASE" "$GALERA_SST_PORT_BASE" \
  "$GALERA_TIMEOUT"; do
  [[ $value =~ ^[0-9]+$ ]] || die "port bases and GALERA_TIMEOUT must be numbers, got '$value'"
done
GALERA_DIR=${GALERA_DIR%/}
[[ $GALERA_DIR == /?* ]] || die "GALERA_DIR must be an absolute path other than /, got '$GALERA_DIR'"

node_dir() { printf '%s/node%s' "$GALERA_DIR" "$1"; }
sql_port() { echo $((GALERA_PORT_BASE + $1)); }
gcomm_port() { echo $((GALERA_GCOMM_PORT_BASE + $1)); }
ist_port() { echo $((GALERA_IST_PORT_BASE + $1)); }
sst_port() { echo $((GALERA_SST_PORT_BASE + $1)); }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

urls_line() {
  local n urls=()
  for n in "${NODES[@]}"; do urls+=("mysql://root@127.0.0.1:$(sql_port "$n")/"); done
  local IFS=,
  echo "GALERA_URLS=${urls[*]}"
}

print_urls() {
  local n
  for n in "${NODES[@]}"; do echo "mysql://root@127.0.0.1:$(sql_port "$n")/"; done
  urls_line
}

check_node_arg() {
  [[ ${1:-} =~ ^[123]$ ]] || die "expected a node number 1, 2 or 3, got '${1:-}'"
}

need_root() {
  [[ $(id -u) == 0 ]] || die "run as root: the data folders belong to the mysql user and the packages come from apt-get"
}

# The pid of node N's mariadbd, or failure when it is not running. The pid file is ours, written at
# launch: mariadbd writes its own only late in startup, after a state transfer, and a node must be
# killable during one. The command line check guards against a reused pid.
node_pid() {
  local file pid
  file="$(node_dir "$1")/node.pid"
  [[ -r $file ]] || return 1
  pid=$(<"$file")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF -- "--datadir=$(node_dir "$1")/data" || return 1
  echo "$pid"
}

# Runs a query on node N over TCP (the way the URLs reach it); tab-separated rows, no header.
sql() {
  mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P"$(sql_port "$1")" -uroot --connect-timeout=2 -N -B -e "$2"
}

status_var() {
  sql "$1" "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | cut -f2
}

log_tail() {
  local log
  log="$(node_dir "$1")/error.log"
  if [[ -s $log ]]; then
    printf -- '--- last lines of %s ---\n' "$log" >&2
    tail -n 40 "$log" >&2
  else
    printf -- '--- %s is empty or missing ---\n' "$log" >&2
  fi
}

fail_node() {
  printf 'galera: error: node %s: %s\n' "$1" "$2" >&2
  log_tail "$1"
  exit 1
}

port_in_use() {
  command -v ss >/dev/null || return 1
  [[ -n $(ss -Hltn "( sport = :$1 )" 2>/dev/null) ]]
}

check_ports_free() {
  local p
  for p in "$(sql_port "$1")" "$(gcomm_port "$1")" "$(ist_port "$1")" "$(sst_port "$1")"; do
    if port_in_use "$p"; then
      die "node $1: port $p is already taken on this machine (another cluster? set the GALERA_*_PORT_BASE variables)"
    fi
  done
}

ensure_packages() {
  local socket_tool=0
  command -v ss >/dev/null || command -v lsof >/dev/null || command -v sockstat >/dev/null || socket_tool=1
  if [[ -e $PROVIDER && -x $MARIADBD && $socket_tool == 0 ]] && command -v rsync >/dev/null &&
    command -v mariadb-install-db >/dev/null && id mysql >/dev/null 2>&1; then
    return 0
  fi
  say "installing mariadb-server galera-4 rsync with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >&2 || die "apt-get update failed"
  # iproute2 brings ss: the rsync SST script needs a tool that shows who listens on a port.
  apt-get install -y -q --no-install-recommends mariadb-server galera-4 rsync iproute2 >&2 ||
    die "apt-get install mariadb-server galera-4 rsync failed"
  [[ -e $PROVIDER && -x $MARIADBD ]] || die "still missing $PROVIDER or $MARIADBD after apt-get install"
}

# Each node keeps its temporary files in its own folder rather than the /tmp that the machine's server
# and other tests share: one of three parallel install-db runs here failed once, its log complaining
# of a temporary table file gone missing from /tmp.
install_db() {
  local dir
  dir=$(node_dir "$1")
  mkdir -p "$dir/tmp"
  chown mysql:mysql "$dir" "$dir/tmp"
  if ! mariadb-install-db --no-defaults --user=mysql --datadir="$dir/data" --auth-root-authentication-method=normal \
    --skip-test-db "--tmpdir=$dir/tmp" >"$dir/install.log" 2>&1; then
    printf 'galera: error: mariadb-install-db failed for node %s:\n' "$1" >&2
    tail -n 40 "$dir/install.log" >&2
    return 1
  fi
}

# The options of node N's mariadbd after --no-defaults, shared by the server and its --wsrep-recover run.
server_options() {
  local dir cluster=gcomm:// n
  dir=$(node_dir "$1")
  for n in "${NODES[@]}"; do cluster+="127.0.0.1:$(gcomm_port "$n"),"; done
  # innodb-flush-log-at-trx-commit=2 writes the log at each commit but syncs it once a second: a crashed
  # node may lose its last second, which Galera's durability covers, since every commit is already on
  # the other nodes and the node gets it back by IST or SST when it rejoins.
  printf '%s\n' \
    --user=mysql \
    "--datadir=$dir/data" \
    "--tmpdir=$dir/tmp" \
    --bind-address=127.0.0.1 \
    --skip-name-resolve \
    --max-connections=500 \
    --innodb-buffer-pool-size=128M \
    --default-storage-engine=InnoDB \
    --binlog-format=ROW \
    --innodb-autoinc-lock-mode=2 \
    --innodb-flush-log-at-trx-commit=2 \
    --wsrep-on=ON \
    "--wsrep-provider=$PROVIDER" \
    --wsrep-cluster-name=ttms \
    "--wsrep-cluster-address=${cluster%,}" \
    "--wsrep-node-name=node$1" \
    "--wsrep-node-address=127.0.0.1:$(gcomm_port "$1")" \
    --wsrep-sst-method=rsync \
    "--wsrep-sst-receive-address=127.0.0.1:$(sst_port "$1")" \
    "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:$(gcomm_port "$1");ist.recv_addr=127.0.0.1:$(ist_port "$1");gcache.size=256M" \
    --wsrep-slave-threads=2
}

# After a SIGKILL grastate.dat says seqno -1: the node's last committed position lives only in InnoDB.
# mysqld_safe and galera_recovery run `mariadbd --wsrep-recover` to read it and hand it over as
# --wsrep-start-position; we start mariadbd directly, so we do the same. Without it the node can only
# ask for a full SST. Prints the start position option, or nothing.
recovered_position_option() {
  local dir seqno position
  dir=$(node_dir "$1")
  [[ -f $dir/data/grastate.dat ]] || return 0
  seqno=$(awk '$1 == "seqno:" { print $2 }' "$dir/data/grastate.dat")
  [[ $seqno == -1 ]] || return 0
  local options
  mapfile -t options < <(server_options "$1")
  rm -f "$dir/recover.log"
  if ! "$MARIADBD" --no-defaults "${options[@]}" --skip-networking "--socket=$dir/recover.sock" \
    "--pid-file=$dir/recover.pid" "--log-error=$dir/recover.log" --wsrep-recover </dev/null >/dev/null 2>&1; then
    say "node $1: mariadbd --wsrep-recover failed, leaving the position to a full state transfer:"
    tail -n 20 "$dir/recover.log" >&2 || true
    return 0
  fi
  position=$(sed -n 's/.*WSREP: Recovered position: *\([0-9a-f-]*:[0-9-]*\).*/\1/p' "$dir/recover.log" | tail -n 1)
  if [[ -n $position && ${position##*:} != -1 ]]; then
    say "node $1: recovered position $position from InnoDB"
    echo "--wsrep-start-position=$position"
  else
    say "node $1: no position recovered, it will need a full state transfer"
  fi
}

# Starts node N in the background in a session of its own, so that it outlives this script and its
# caller's terminal, and holds none of the caller's pipes (execFile would wait for them to close).
launch() {
  local n=$1 dir options
  shift
  dir=$(node_dir "$n")
  mapfile -t options < <(server_options "$n")
  setsid "$MARIADBD" --no-defaults "${options[@]}" "--port=$(sql_port "$n")" "--socket=$dir/mysqld.sock" \
    "--pid-file=$dir/mysqld.pid" "--log-error=$dir/error.log" "$@" </dev/null >>"$dir/stdout.log" 2>&1 &
  echo $! >"$dir/node.pid"
  disown $!
  LAUNCHED+=("$n")
}

# The nodes this run launched are SIGKILLed when it fails (a timeout, a node that exited), so that a
# failed `up` or `start N` leaves no half-joined node behind, only the logs in GALERA_DIR; the next
# `up` starts afresh.
LAUNCHED=()
on_exit() {
  local status=$? n
  ((status != 0 && ${#LAUNCHED[@]} > 0)) || return 0
  for n in "${LAUNCHED[@]}"; do kill_processes "$n"; done
  say "stopped node ${LAUNCHED[*]} after the failure; the logs stay in $GALERA_DIR"
  exit "$status"
}
trap on_exit EXIT

wait_synced() {
  local n=$1 deadline state=''
  deadline=$(($(date +%s) + GALERA_TIMEOUT))
  while :; do
    node_pid "$n" >/dev/null || fail_node "$n" "mariadbd exited before it was Synced"
    state=$(status_var "$n" wsrep_local_state_comment || true)
    [[ $state == Synced ]] && return 0
    (($(date +%s) < deadline)) ||
      fail_node "$n" "not Synced after ${GALERA_TIMEOUT} s (state: ${state:-no answer on port $(sql_port "$n")})"
    sleep 0.3
  done
}

# How node N got its state, from what its error log gained since byte offset $2: the rsync SST script
# says "rsync SST completed on joiner" after a full copy and "rsync IST completed on joiner" when the
# donor bypassed the copy because the joiner's position was still in its gcache.
transfer_kind() {
  local log kind writesets
  log=$(tail -c +"$(($2 + 1))" "$(node_dir "$1")/error.log" 2>/dev/null || true)
  kind=$(grep -oE 'rsync (IST|SST) completed on joiner' <<<"$log" | tail -n 1 | cut -d' ' -f2 || true)
  writesets=$(grep -oE 'Receiving IST: [0-9]+ writesets' <<<"$log" | tail -n 1 | cut -d' ' -f3 || true)
  case $kind in
    SST) echo 'SST (a full copy of the donor by rsync)' ;;
    IST) echo "IST (${writesets:-?} writesets from the donor's gcache)" ;;
    *) echo 'a state transfer the log does not name' ;;
  esac
}

running_nodes() {
  local n
  for n in "${NODES[@]}"; do node_pid "$n" >/dev/null && echo "$n"; done
  return 0
}

cluster_healthy() {
  local n
  for n in "${NODES[@]}"; do
    node_pid "$n" >/dev/null || return 1
    [[ $(status_var "$n" wsrep_local_state_comment) == Synced ]] || return 1
    [[ $(status_var "$n" wsrep_cluster_size) == 3 ]] || return 1
  done
}

wait_cluster_size() {
  local expected=$1 n size deadline
  deadline=$(($(date +%s) + 30))
  for n in "${NODES[@]}"; do
    while size=$(status_var "$n" wsrep_cluster_size || true) && [[ $size != "$expected" ]]; do
      (($(date +%s) < deadline)) || fail_node "$n" "wsrep_cluster_size is '${size:-no answer}', expected $expected"
      sleep 0.3
    done
  done
}

cmd_up() {
  need_root
  if [[ -n $(running_nodes) ]]; then
    if cluster_healthy; then
      say "the cluster in $GALERA_DIR is already running and Synced"
      print_urls
      return 0
    fi
    die "the cluster in $GALERA_DIR is only partly up ($(cmd_status 2>&1 | tr '\n' ';')); use 'start N' or 'down' first"
  fi
  ensure_packages
  if [[ -e $GALERA_DIR ]]; then
    [[ -e $GALERA_DIR/$MARKER ]] || die "$GALERA_DIR exists and was not made by this script; remove it or set GALERA_DIR"
    say "removing the stopped cluster's leftovers in $GALERA_DIR"
    rm -rf -- "$GALERA_DIR"
  fi
  local n started
  for n in "${NODES[@]}"; do check_ports_free "$n"; done
  started=$(now)
  mkdir -p "$GALERA_DIR"
  chmod 755 "$GALERA_DIR"
  touch "$GALERA_DIR/$MARKER"
  local pids=()
  for n in "${NODES[@]}"; do
    install_db "$n" &
    pids+=($!)
  done
  for n in "${pids[@]}"; do wait "$n" || die "creating the data folders failed"; done
  say "data folders created in $(since "$started") s"

  local t
  for n in "${NODES[@]}"; do
    t=$(now)
    if [[ $n == 1 ]]; then launch 1 --wsrep-new-cluster; else launch "$n"; fi
    wait_synced "$n"
    say "node $n Synced in $(since "$t") s$([[ $n == 1 ]] && echo ' (bootstrapped the cluster)' || echo " ($(transfer_kind "$n" 0))")"
  done
  wait_cluster_size 3
  say "three nodes Synced, wsrep_cluster_size 3 on each, in $(since "$started") s"
  print_urls
}

# The survivors keep a SIGKILLed node in their view until it misses evs.suspect_timeout (5 s): a new
# incarnation started before then waits for that view to be torn down and rebuilt, which measured
# 19-23 s against 4.5 s for a start after the eviction. So wait until every running node counts only
# the running ones (up to 30 s; a start after that is merely slow).
wait_dead_node_evicted() {
  local others=$2 expected m size deadline started
  started=$(now)
  expected=$(wc -l <<<"$others")
  deadline=$(($(date +%s) + 30))
  for m in $others; do
    while size=$(status_var "$m" wsrep_cluster_size || true) && [[ -n $size && $size -gt $expected ]]; do
      if (($(date +%s) >= deadline)); then
        say "node $m still counts $size nodes after 30 s; starting node $1 anyway"
        return 0
      fi
      sleep 0.2
    done
  done
  say "node $1 is out of the running nodes' view ($(since "$started") s)"
}

cmd_start() {
  need_root
  local n=$1 dir pid offset t position
  dir=$(node_dir "$n")
  [[ -d $dir/data ]] || die "node $n has no data folder in $GALERA_DIR; run 'up' first"
  if pid=$(node_pid "$n"); then
    say "node $n is already running (pid $pid)"
    wait_synced "$n"
    return 0
  fi
  local others
  others=$(running_nodes)
  [[ -n $others ]] || die "no node of the cluster is running, so node $n has nothing to join; run 'down' then 'up'"
  check_ports_free "$n"
  t=$(now)
  wait_dead_node_evicted "$n" "$others"
  position=$(recovered_position_option "$n")
  offset=$(stat -c %s "$dir/error.log" 2>/dev/null || echo 0)
  # shellcheck disable=SC2086 # position is empty or one option without spaces
  launch "$n" $position
  wait_synced "$n"
  say "node $n rejoined and is Synced in $(since "$t") s by $(transfer_kind "$n" "$offset")"
}

cmd_kill() {
  local n=$1 pid i
  if ! pid=$(node_pid "$n"); then
    say "node $n is not running"
    return 0
  fi
  kill -KILL "$pid"
  for ((i = 0; i < 100; i++)); do
    process_alive "$pid" || break
    sleep 0.1
  done
  process_alive "$pid" && die "node $n (pid $pid) is still there after SIGKILL"
  say "node $n (pid $pid) killed"
}

# The processes of the node folders under GALERA_DIR (of node $1 only, when given): mariadbd, a
# --wsrep-recover run, and the rsync SST script with its rsync daemon, which outlive a killed node for
# a while. Recognised by the node folder on their command line, so nothing else on the machine is touched.
node_processes() {
  local prefix="$GALERA_DIR/node${1:+$1/}" proc comm args
  for proc in /proc/[0-9]*; do
    [[ ${proc#/proc/} == "$$" ]] && continue
    mapfile -d '' -t args 2>/dev/null <"$proc/cmdline" || continue
    [[ "${args[*]}" == *"$prefix"* ]] || continue
    read -r comm 2>/dev/null <"$proc/comm" || continue
    case $comm in
      mariadbd | rsync | wsrep_sst_*) echo "${proc#/proc/}" ;;
      sh | bash) [[ "${args[*]}" == *wsrep_sst_* ]] && echo "${proc#/proc/}" ;;
    esac
  done
  return 0
}

# Alive until it is gone or a zombie: only then has it closed its files and released its ports.
process_alive() {
  local key value
  while read -r key value; do
    if [[ $key == State: ]]; then
      [[ $value != Z* ]]
      return
    fi
  done 2>/dev/null <"/proc/$1/status"
  return 1
}

kill_processes() {
  local pids pid i alive
  pids=$(node_processes "${1:-}")
  for pid in $pids; do kill -KILL "$pid" 2>/dev/null || true; done
  for ((i = 0; i < 50; i++)); do
    alive=''
    for pid in $pids; do process_alive "$pid" && alive+=" $pid"; done
    [[ -z $alive ]] && return 0
    sleep 0.1
  done
  die "processes of $GALERA_DIR survived SIGKILL:$alive"
}

cmd_down() {
  need_root
  if [[ ! -e $GALERA_DIR ]]; then
    say "no cluster in $GALERA_DIR"
    return 0
  fi
  [[ -e $GALERA_DIR/$MARKER ]] || die "$GALERA_DIR was not made by this script; not touching it"
  local n pid i pids=() alive
  for n in "${NODES[@]}"; do
    if pid=$(node_pid "$n"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
      say "node $n (pid $pid): SIGTERM"
    fi
  done
  for ((i = 0; i < 300; i++)); do
    alive=0
    for pid in "${pids[@]}"; do process_alive "$pid" && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for n in "${NODES[@]}"; do
    # A node in a state transfer, as joiner or donor, waits for it to end before it acts on SIGTERM.
    if pid=$(node_pid "$n"); then say "node $n (pid $pid) still up after 30 s: SIGKILL"; fi
  done
  kill_processes
  rm -rf -- "$GALERA_DIR"
  say "cluster stopped, $GALERA_DIR removed"
}

cmd_status() {
  local n pid state size
  for n in "${NODES[@]}"; do
    if pid=$(node_pid "$n"); then
      state=$(status_var "$n" wsrep_local_state_comment || true)
      size=$(status_var "$n" wsrep_cluster_size || true)
      # A node answers no query during a state transfer or InnoDB recovery.
      echo "node$n up pid=$pid port=$(sql_port "$n") state=${state:-unreachable} cluster_size=${size:-?}"
    else
      echo "node$n down port=$(sql_port "$n")"
    fi
  done
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  kill)
    check_node_arg "${2:-}"
    cmd_kill "$2"
    ;;
  start)
    check_node_arg "${2:-}"
    cmd_start "$2"
    ;;
  status) cmd_status ;;
  urls) urls_line ;;
  *)
    sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$0" >&2
    exit 2
    ;;
esac
