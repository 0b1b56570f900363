#!/usr/bin/env bash
# Run the Qt test suite N times in a row (default 20), each in its own process as scripts/test.sh runs
# it, and count the runs that failed and the runs that died from a signal (a native crash). Prints one
# line per run and the tally; exits 1 if any run crashed or failed. Logs of bad runs stay in the
# folder it names. Set up first (scripts/test.sh does it).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-20}"
logs="$(mktemp -d -t yard-inspector-soak-XXXXXX)"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
crashed=0; failed=0
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  "$ROOT/.venv/bin/python" -X faulthandler -m pytest -p no:cacheprovider -q tests/ui > "$logs/run-$i.log" 2>&1
  status=$?
  took=$(( $(date +%s) - start ))
  if [ "$status" -eq 0 ]; then
    verdict="passed"; rm -f "$logs/run-$i.log"
  elif [ "$status" -ge 128 ]; then  # killed by a signal: 139 is SIGSEGV, 134 SIGABRT
    verdict="CRASHED (status $status)"; crashed=$((crashed + 1))
  else
    verdict="failed (status $status)"; failed=$((failed + 1))
  fi
  echo "run $i/$runs: $verdict in ${took}s"
done
echo "Qt suite x$runs: $crashed crashed, $failed failed, $((runs - crashed - failed)) passed (logs of bad runs: $logs)"
[ "$crashed" -eq 0 ] && [ "$failed" -eq 0 ]
