#!/bin/bash
# bit-identity of reluq cluster local against reluq fit, K = 1, 3, 4, both topologies
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; cd "$tmp"
for k in 1 3 4; do for t in master allgather; do
  enc="qsgd:s=4"; [ $t = allgather ] && enc="ef(qsgd:s=2)"
  f=$("$root/reluq" fit --d 128 --workers $k --encoder "$enc" --iters 400 --target-error 0 --seed 21 --csv $tmp/fit-$k.csv --no-progress 2>/dev/null | grep weights)
  rm -f $tmp/id.ckpt
  c=$(timeout 200 "$root/reluq" cluster local --d 128 --workers $k --encoder "$enc" --iters 400 --target-error 0 --seed 21 --topology $t --csv $tmp/cl-$k.csv --force --checkpoint $tmp/id.ckpt 2>/dev/null | grep "weights\|phases")
  same=$(cmp -s <(tail -n +2 $tmp/fit-$k.csv) <(tail -n +2 $tmp/cl-$k.csv) && echo "csv identical" || echo "CSV DIFFERS")
  echo "K=$k $t $enc: fit ${f#weights } | cluster $(echo "$c" | head -1 | sed 's/weights *//') | $same"
done; done
