#!/usr/bin/env bash
# Reruns every run, compare and sweep whose figures the READMEs quote, into OUT (default
# out/figures), one step after another, and writes OUT/times.txt (exit code and wall time of
# each). After a change that moves results on purpose, rerun and update the quoted figures from
# these folders (each step's stdout holds the table the docs copy).
#   docs/rerun-figures.sh [--bin build/clustersim] [--out out/figures] [STEP...]
# Steps (default: all; omega takes ~15-20 min on 2 cores, the rest about a minute):
#   default policy allocator windows-share arch arch-random offer-throughput offer-constraints
#   patchday patchday-sweep patchday-prepull drf-paper stock cold omega framework-failover
set -u
cd "$(dirname "$0")/.."
BIN=build/clustersim
OUT=out/figures
while [ $# -gt 0 ]; do
  case $1 in
    --bin) BIN=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) break ;;
  esac
done
STEPS="${*:-default policy allocator windows-share arch arch-random offer-throughput offer-constraints patchday patchday-sweep patchday-prepull drf-paper stock cold omega framework-failover}"
mkdir -p "$OUT"
: > "$OUT/times.txt"

step() {
  local name=$1 start=$SECONDS
  shift
  "$@" > "$OUT/$name.stdout" 2> "$OUT/$name.stderr"
  echo "$name exit $? $((SECONDS - start)) s" >> "$OUT/times.txt"
}

# README "Windows cold starts by architecture": the same sweep with random-fit for every framework.
arch_random_sweep() {
  sed -e 's#^base: ../default.yaml#base: '"$PWD"'/scenarios/default.yaml#' \
      -e 's#^seeds: 5#seeds: 3\nset:\n  - frameworks[0].placement=random-fit\n  - frameworks[1].placement=random-fit\n  - frameworks[2].placement=random-fit#' \
      -e 's#^name: architectures-windows#name: architectures-windows-random#' \
      scenarios/sweeps/architectures-windows.yaml > "$OUT/architectures-windows-random.yaml"
  "$BIN" sweep "$OUT/architectures-windows-random.yaml" --out "$OUT/sweep-architectures-windows-random" -q
}

for s in $STEPS; do
  case $s in
    default) step default "$BIN" run --out "$OUT/default-s42" ;;
    policy) step policy "$BIN" compare scenarios/policy-study.yaml --out "$OUT/compare-policy-study" -q ;;
    allocator) step allocator "$BIN" compare scenarios/allocator-study.yaml --keep-runs -q \
                 --out "$OUT/compare-allocator-study" ;;
    windows-share)
      step windows-share "$BIN" sweep scenarios/sweeps/windows-share.yaml -q --out "$OUT/sweep-windows-share"
      step windows-share-plot "$BIN" plot "$OUT/sweep-windows-share" ;;
    arch) step arch "$BIN" sweep scenarios/sweeps/architectures-windows.yaml -q \
            --out "$OUT/sweep-architectures-windows" ;;
    arch-random) step arch-random arch_random_sweep ;;
    offer-throughput)
      step offer-throughput "$BIN" sweep scenarios/sweeps/offer-throughput.yaml -q \
        --out "$OUT/sweep-offer-throughput"
      step offer-throughput-plot "$BIN" plot "$OUT/sweep-offer-throughput" ;;
    framework-failover) step framework-failover "$BIN" sweep scenarios/sweeps/framework-failover.yaml \
                          -q --out "$OUT/sweep-framework-failover" ;;
    offer-constraints) step offer-constraints "$BIN" sweep scenarios/sweeps/offer-constraints.yaml -q \
                         --out "$OUT/sweep-offer-constraints" ;;
    patchday)
      step patchday "$BIN" run scenarios/windows-patch-day.yaml --out "$OUT/pd"
      step patchday-plot "$BIN" plot "$OUT/pd" ;;
    patchday-sweep) step patchday-sweep "$BIN" sweep scenarios/sweeps/windows-patch-day.yaml -q \
                      --out "$OUT/sweep-windows-patch-day" ;;
    patchday-prepull) step patchday-prepull "$BIN" sweep scenarios/sweeps/windows-patch-day-prepull.yaml \
                        -q --out "$OUT/sweep-windows-patch-day-prepull" ;;
    drf-paper) step drf-paper "$BIN" run scenarios/drf-paper.yaml --out "$OUT/drf-paper" ;;
    stock) step stock "$BIN" run scenarios/windows-stock-timeouts.yaml --events --out "$OUT/stock" ;;
    cold) step cold "$BIN" run scenarios/windows-cold-start.yaml --events --out "$OUT/cold" ;;
    omega)
      step omega "$BIN" sweep scenarios/sweeps/omega-tjob.yaml -q --out "$OUT/sweep-omega-tjob"
      step omega-plot "$BIN" plot "$OUT/sweep-omega-tjob" ;;
    *) echo "unknown step: $s" >&2; exit 2 ;;
  esac
done
cat "$OUT/times.txt"
