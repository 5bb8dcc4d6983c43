#!/usr/bin/env bash
# Instructions per unit of a run_speed.py workload, counted by callgrind: unlike seconds, the
# count does not move with the host's speed or its neighbours, so it compares two trees (or
# two sessions) exactly. Not part of `make bench` (each count takes 20-60 s).
#
#   benchmarks/instructions.sh chain_memory [TREE]     # TREE: a checkout; default this one
#   benchmarks/instructions.sh job_execute [TREE]      # the whole `headwater job execute` process
#
# The worker runs the workload once to warm up, then N more times; two counts (N=1, N=4)
# subtract the start-up and the warm-up.
set -euo pipefail
workload=${1:?usage: benchmarks/instructions.sh WORKLOAD [TREE]}
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$(cd "${2:-$here}" && pwd)
python=${PYTHON:-$here/.venv/bin/python}
case $workload in
  job_execute) units=0 ;;
  chain_memory|chain_sqlite) units=500 ;;
  assets_chained|assets_independent) units=1000 ;;
  *) echo "unknown workload $workload (chain_memory, chain_sqlite, assets_chained, assets_independent, job_execute)" >&2; exit 2 ;;
esac
command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
count() {
  PYTHONPATH=$tree/src:$tree/headwater-pipes/src PYTHONHASHSEED=0 valgrind --tool=callgrind \
    --callgrind-out-file="$scratch/out.$1" "$python" "$here/benchmarks/run_speed.py" \
    --worker headwater "$workload" --repeats "$1" >/dev/null 2>"$scratch/err.$1"
  grep -o "Collected : [0-9]*" "$scratch/err.$1" | grep -o "[0-9]*"
}
if [ "$workload" = job_execute ]; then
  # benchmarks/cli_execute.py's command, as one whole process, on an instance made by a
  # first run. Bytecode is compiled first (this machine sets PYTHONDONTWRITEBYTECODE).
  "$python" -m compileall -q "$tree/src" "$tree/examples" >/dev/null
  export HEADWATER_HOME=$scratch/home PYTHONPATH=$tree/src:$tree/headwater-pipes/src
  command=("$python" -m headwater.cli job execute -f examples/three_ops.py -j three_ops)
  (cd "$tree" && "${command[@]}" >/dev/null 2>&1)
  (cd "$tree" && PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file="$scratch/out" \
    "${command[@]}" >/dev/null 2>"$scratch/err")
  total=$(grep -o "Collected : [0-9]*" "$scratch/err" | grep -o "[0-9]*")
  "$python" -c "print(f'job_execute ($tree): {$total / 1e6:.1f} M instructions, whole process')"
  exit 0
fi
one=$(count 1)
four=$(count 4)
"$python" -c "print(f'$workload ($tree): {($four - $one) / 3 / $units / 1e6:.4f} M instructions per unit')"
