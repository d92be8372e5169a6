#!/bin/bash
# Entry point of every Galera node (compose.yml runs it with bash in mariadb:10.11). It decides one
# thing, whether this node founds the cluster (--wsrep-new-cluster), and hands everything else to
# the image's own entrypoint with the arguments compose gave.
#
# A node founds the cluster when either
#   - its grastate.dat says safe_to_bootstrap: 1. Galera writes 1 only while a node is the sole
#     member of the primary component, so after a clean stop it is on the last node out (compose
#     stops galera2 and galera3 before galera1), and after a crash on the node an operator chose as
#     the most advanced (README.md, "Restarting the whole cluster"); or
#   - it is the founding node (GALERA_FOUND_WHEN_EMPTY=1: galera1), its volume is empty, and none of
#     GALERA_PEERS answers on the group-communication port: the very first start. A fresh galera1
#     whose peers run joins them instead (by SST), so replacing its volume starts no second cluster.
# Every other start joins whichever peer of wsrep_cluster_address answers (IST or SST).
set -euo pipefail

datadir=/var/lib/mysql
grastate="$datadir/grastate.dat"

say() { echo "galera-start: $*" >&2; }

# A peer's mariadbd listens on 4567 as soon as it runs wsrep. The image has no netcat: bash's /dev/tcp.
peer_answers() {
  local peer
  for peer in ${GALERA_PEERS:-}; do
    if timeout 3 bash -c "exec 3<>/dev/tcp/$peer/4567" 2>/dev/null; then
      say "$peer answers on 4567"
      return 0
    fi
  done
  return 1
}

if [[ -f $grastate ]] && grep -Eq '^safe_to_bootstrap:[[:space:]]*1[[:space:]]*$' "$grastate"; then
  say "grastate.dat says safe_to_bootstrap: 1, bootstrapping a new primary component from this node"
  set -- "$@" --wsrep-new-cluster
elif [[ ${GALERA_FOUND_WHEN_EMPTY:-0} == 1 && ! -e $grastate && ! -d $datadir/mysql ]]; then
  if peer_answers; then
    say "empty volume and the cluster is running: joining it"
  else
    say "empty volume and no peer answers: founding the cluster"
    set -- "$@" --wsrep-new-cluster
  fi
fi

exec docker-entrypoint.sh "$@"
