#!/usr/bin/env bash
# The cluster experiment (docs/design.md, "The cluster experiment"): a master and K = 1, 2, 4 workers, each in its
# own network namespace, on links shaped to 100 Mbit/s, 1 Gbit/s and 10 Gbit/s (cluster/scripts/netns.sh), running
# QSGD to relative error 1e-4 with fp32, bf16 and QSGD settings, plus fp32 rounds of 1 MiB per worker for the link's
# use. Each run writes a JSON summary into RESULTS; then 'reluq cluster report' turns them into reports/cluster.md.
#   sudo cluster/scripts/experiment.sh RESULTS [--quick | --link-only]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
results=${1:?usage: experiment.sh RESULTS [--quick | --link-only]}
quick=${2:-}
if [ -e "$results" ] && [ -n "$(ls -A "$results" 2>/dev/null)" ]; then
  echo "experiment.sh: $results exists and is not empty; give another folder" >&2
  exit 2
fi
mkdir -p "$results"
# what 'reluq cluster report' prints about where the summaries came from
printf 'commit %s, %s to ' "$(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown)" "$(date -u +%FT%TZ)" \
  > "$results/stamp.txt"
netns="$root/cluster/scripts/netns.sh"
"$root/reluq" --version > /dev/null   # builds the jar once, outside the timed runs
"$netns" down
trap '"$netns" down; pkill -f "reluq.jar cluster" 2>/dev/null || true' EXIT
"$netns" up 1gbit

run() { # run NAME WORKERS TOPOLOGY ENCODER [training options...]
  local name=$1 k=$2 topology=$3 encoder=$4
  shift 4
  local summary="$results/$name.json"
  ip netns exec rq-m "$root/reluq" cluster master --bind 10.77.0.1:40123 --workers "$k" --encoder "$encoder" \
    --topology "$topology" --summary "$summary" --checkpoint "$results/$name.ckpt" --window "$win" "$@" \
    > "$results/$name.txt" 2>&1 &
  local master=$!
  sleep 0.5
  local pids=()
  for ((i = 0; i < k; i++)); do
    ip netns exec "rq-w$i" "$root/reluq" cluster worker --master 10.77.0.1:40123 --bind "10.77.0.$((10 + i))" \
      --threads 1 --window "$win" > "$results/$name.w$i.txt" 2>&1 &
    pids+=($!)
  done
  if ! wait "$master"; then
    echo "experiment.sh: $name failed: $(grep -v WARNING "$results/$name.txt" | tail -n 2)" >&2
  fi
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  echo "$name: $(grep -E '^result' "$results/$name.txt" || echo failed)"
}

rates=(100mbit 1gbit 10gbit)
workers=(1 2 4)
# QSGD settings (buckets of 512): the two best of reports/encoders.md at 1e-4, each at its best step there (x4 and
# x1 the default step), and the paper's code, Elias, at s = 4. Plain QSGD at s = 2 needs some 20 times fp32's rounds
# at d = 2048 (its default step is divided by 1 + omega), minutes per run here; reports/encoders.md has it.
encoders=(fp32 bf16 "qsgd:s=4,bucket=512,code=elias" "qsgd:s=4,bucket=512,norm=max,dither=16"
  "qsgd:s=6,bucket=512,levels=exp,code=rans")
declare -A multiplier=(["qsgd:s=4,bucket=512,norm=max,dither=16"]=4)
step() { # step ENCODER D: the default step of 'reluq fit' (divided by 1 + omega) times the encoder's multiplier
  local base
  base=$("$root/reluq" fit --d "$2" --n "$2" --batch 128 --encoder "$1" --iters 1 --no-progress 2>/dev/null \
    | sed -n 's/.* step=\([0-9.e+-]*\).*/\1/p' | head -n 1)
  awk -v b="$base" -v m="${multiplier[$1]:-1}" 'BEGIN { printf "%.6g", b * m }'
}
[ "$quick" = --quick ] && rates=(100mbit) && workers=(2) && encoders=(fp32 "qsgd:s=4,bucket=512,norm=max,dither=16")
declare -A steps
for encoder in "${encoders[@]}"; do
  steps[$encoder]=$(step "$encoder" 2048)
  steps[$encoder@8192]=$(step "$encoder" 8192)
done
# Aeron's receiver window (bytes in flight per sender) must not outgrow the switch port's queue (tbf's limit, 8 ms of
# traffic in netns.sh): at 100 Mbit/s a 2 MiB window overflowed it and a third of the bytes were sent again
window() { case "$1" in 100mbit) echo 131072 ;; 1gbit) echo 524288 ;; *) echo 2097152 ;; esac; }
[ "$quick" = --link-only ] && rates=()
for rate in "${rates[@]}"; do
  "$netns" rate "$rate"
  win=$(window "$rate")
  for k in "${workers[@]}"; do
    for encoder in "${encoders[@]}"; do
      safe=$(echo "$encoder" | tr ':=,' '-_-')
      run "accuracy-$rate-k$k-$safe" "$k" master "$encoder" --d 2048 --batch 128 --iters 20000 --target-error 1e-4 \
        --step "${steps[$encoder]}"
    done
  done
  # allgather at K = 4: every worker sends its frame to all, no fp32 w goes back
  if [ "$quick" != --quick ]; then
    for encoder in fp32 "qsgd:s=6,bucket=512,levels=exp,code=rans"; do
      safe=$(echo "$encoder" | tr ':=,' '-_-')
      run "allgather-$rate-k4-$safe" 4 allgather "$encoder" --d 2048 --batch 128 --iters 20000 --target-error 1e-4 \
        --step "${steps[$encoder]}"
    done
  fi
done
# time against bytes: at d = 2048 a round's 16 KiB cross 100 Mbit/s in 1.4 ms, about what the round's compute and
# wake-ups cost, so time cannot follow bytes there; at d = 8192 (n = 5 d, 1.3 GB per worker) the link dominates
if [ "$quick" != --link-only ]; then
  "$netns" rate 100mbit
  win=$(window 100mbit)
  for k in 1 2; do
    for encoder in "${encoders[@]}"; do
      [ "$quick" = --quick ] && [ "$encoder" != fp32 ] && [ "$encoder" != "qsgd:s=4,bucket=512,norm=max,dither=16" ] \
        && continue
      safe=$(echo "$encoder" | tr ':=,' '-_-')
      run "bound-100mbit-k$k-$safe" "$k" master "$encoder" --d 8192 --n 40960 --batch 128 --iters 60000 \
        --target-error 1e-4 --step "${steps[$encoder@8192]}"
    done
  done
fi
# link use: fp32 gradients of 1 MiB (d = 262144) per worker and round. With batches of 8 rows a worker computes for
# about 1.3 ms, so the round is its two transfers; batches of 64 add some 10 ms of compute (the contrast). Enough
# rounds for the JIT to settle (40 rounds were mostly warm-up); a tiny step keeps w finite.
declare -A link_rounds=([100mbit]=100 [1gbit]=2000)
for rate in 100mbit 1gbit; do
  "$netns" rate "$rate"
  win=$(window "$rate")
  for k in 1 2; do
    run "link-$rate-k$k-b8-fp32" "$k" master fp32 --d 262144 --n 128 --batch 8 --step 1e-7 \
      --iters "${link_rounds[$rate]}" --target-error 0
  done
done
run "link-1gbit-k1-b64-fp32" 1 master fp32 --d 262144 --n 128 --batch 64 --step 1e-7 --iters 300 --target-error 0
printf '%s, on %s (%s cores)\n' "$(date -u +%FT%TZ)" "$(lscpu | sed -n 's/^Model name: *//p' | head -n 1)" "$(nproc)" \
  >> "$results/stamp.txt"
echo "experiment.sh: summaries in $results; next: reluq cluster report --results $results --out reports"
