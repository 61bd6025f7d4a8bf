#!/usr/bin/env bash
# The same sweep, locally on threads and over 3 MPI ranks: runs.csv must be byte-identical.
# OpenMPI refuses to run as root unless told; CI runs as root.
set -euo pipefail
binary="$1"
source_dir="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s|SCENARIO|$source_dir/scenarios/windows-cold-start.yaml|" > "$work/sweep.yaml" <<'YAML'
name: mpi-check
base: SCENARIO
set:
  - duration=10m
seeds: 3
axes:
  - path: frameworks[0].workload.rate
    values: [6/min, 12/min]
  - path: master.allocation_interval
    values: [1s, 0]
YAML
"$binary" sweep "$work/sweep.yaml" --out "$work/local" --jobs 2 > /dev/null
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mpirun --allow-run-as-root --oversubscribe -n 3 "$binary" sweep "$work/sweep.yaml" --out "$work/mpi" > "$work/mpi.log" 2>&1 || { cat "$work/mpi.log"; exit 1; }
test "$(wc -l < "$work/local/runs.csv")" -eq 13
if ! cmp "$work/local/runs.csv" "$work/mpi/runs.csv"; then
  diff "$work/local/runs.csv" "$work/mpi/runs.csv" | head -20
  exit 1
fi
cmp "$work/local/summary.csv" "$work/mpi/summary.csv"
echo "runs.csv identical: local threads vs mpirun -n 3"
