#!/usr/bin/env bash
# Instructions per Pipes log message on each side of the logs_10k workload of pipes_speed.py,
# counted by callgrind (see instructions.sh for why counts, not seconds). The external process
# and the orchestrator run on two cores at once, so each side is counted on its own:
#
#   benchmarks/pipes_instructions.sh [TREE]     # TREE: a checkout; default this one
#
# The orchestrator is counted without tracing its children (the external process runs at full
# speed, so the reader seldom waits); the external process is counted with --trace-children.
# Two message counts (2,000 and 6,000; one warm-up step and one measured step each) subtract
# the start-up. Takes about a minute and a half.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "${1:-$here}" && pwd)
python=${PYTHON:-$here/.venv/bin/python}
[ -x "$python" ] || python=/work/main/.venv/bin/python
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cat >"$scratch/steps.py" <<PY
import sys
sys.path.insert(0, "$here/benchmarks")
import pipes_speed
pipes_speed.N_LOGS, pipes_speed.LOG_RUNS = int(sys.argv[1]), 1
pipes_speed.worker("headwater", "logs_10k")
PY
run() {  # $1: message count, $2: yes to trace the external processes
  PYTHONPATH=$tree/src:$tree/headwater-pipes/src PYTHONHASHSEED=0 valgrind --tool=callgrind \
    --trace-children="$2" --callgrind-out-file="$scratch/out.$1.$2.%p" \
    "$python" "$scratch/steps.py" "$1" >/dev/null 2>"$scratch/err.$1.$2"
}
orchestrator() { run "$1" no; grep -o "Collected : [0-9]*" "$scratch/err.$1.no" | grep -o "[0-9]*$"; }
# The smallest count of a traced run is an external process's (both steps send N messages).
external() { run "$1" yes; grep -o "Collected : [0-9]*" "$scratch/err.$1.yes" | grep -o "[0-9]*$" | sort -n | head -1; }
o2=$(orchestrator 2000); o6=$(orchestrator 6000)
x2=$(external 2000); x6=$(external 6000)
echo "per log message ($tree): orchestrator $(( (o6 - o2) / 8000 )), external process $(( (x6 - x2) / 4000 )) instructions"
