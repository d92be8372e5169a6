#!/usr/bin/env bash
# npm run test:galera: the e2e-galera suite (test/galera/) on a three-node Galera Cluster on this
# machine, one app process per node sharing Redis. Brings the cluster up with galera-cluster.sh and
# down again afterwards, unless GALERA_URLS already names a running one (then it is left as it is).
# Extra arguments go to jest (a file pattern, -t 'name').
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -z ${GALERA_URLS:-} ]]; then
  trap 'bash scripts/galera-cluster.sh down' EXIT
  urls_line=$(bash scripts/galera-cluster.sh up | tail -n 1)
  [[ $urls_line == GALERA_URLS=* ]] || { echo "galera-cluster.sh up printed no GALERA_URLS line" >&2; exit 1; }
  export GALERA_URLS=${urls_line#GALERA_URLS=}
fi
export TEST_REDIS_URL=${TEST_REDIS_URL:-redis://127.0.0.1:6379}
npx jest --selectProjects e2e-galera --runInBand "$@"
