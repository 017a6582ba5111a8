#!/usr/bin/env bash
# Shaped links for the cluster experiment: network namespaces rq-m (master, 10.77.0.1) and rq-w0..rq-w3 (workers,
# 10.77.0.10..13), each joined by a veth pair to a bridge in namespace rq-sw (the "switch"). Every link is shaped to
# RATE in both directions with tbf (the node's egress and the switch port's egress), as a switch port of that speed
# would be. Nothing outside these namespaces is touched. Needs root.
#   netns.sh up RATE     (e.g. 100mbit, 1gbit, 10gbit)
#   netns.sh rate RATE   (reshape the existing links)
#   netns.sh down
# The kernel here has no sch_netem, so no delay is added (docs/design.md, "The cluster experiment").
set -euo pipefail
nodes=(m w0 w1 w2 w3)
address() { case "$1" in m) echo 10.77.0.1 ;; w*) echo "10.77.0.$((10 + ${1#w}))" ;; esac; }

shape() { # shape NS DEV RATE
  local bits burst limit
  bits=$(rate_bits "$3")
  # the bucket: 250 us of traffic, at least two full datagrams. A real port never runs faster than its rate; a
  # bigger bucket lets each round's first bytes through at the veth's speed (a 2 ms bucket made 1 MiB rounds look
  # 12% faster than the rate allows, and let whole 16 KiB rounds through at 100 Mbit/s)
  burst=$(( bits / 8 / 4000 ))
  (( burst < 3028 )) && burst=3028
  # the queue: 8 ms of traffic (at least 256 KiB), a switch port's buffer
  limit=$(( bits / 8 / 125 ))
  (( limit < 262144 )) && limit=262144
  ip netns exec "$1" tc qdisc replace dev "$2" root tbf rate "$3" burst "$burst" limit "$limit"
}
rate_bits() {
  local v=${1%bit}
  case "$v" in *g) echo $(( ${v%g} * 1000000000 )) ;; *m) echo $(( ${v%m} * 1000000 )) ;; *k) echo $(( ${v%k} * 1000 )) ;; *) echo "$v" ;; esac
}

case "${1:-}" in
  up)
    rate=${2:?rate, e.g. 1gbit}
    ip netns add rq-sw
    ip netns exec rq-sw ip link set lo up
    ip netns exec rq-sw ip link add br0 type bridge
    ip netns exec rq-sw ip link set br0 up
    for n in "${nodes[@]}"; do
      ip netns add "rq-$n"
      ip netns exec "rq-$n" ip link set lo up
      ip link add "rq-$n-e" type veth peer name "rq-$n-s"
      ip link set "rq-$n-e" netns "rq-$n"
      ip link set "rq-$n-s" netns rq-sw
      ip netns exec "rq-$n" ip link set "rq-$n-e" name eth0
      ip netns exec "rq-$n" ip addr add "$(address "$n")/24" dev eth0
      ip netns exec "rq-$n" ip link set eth0 up
      ip netns exec rq-sw ip link set "rq-$n-s" master br0
      ip netns exec rq-sw ip link set "rq-$n-s" up
      # the kernel caps socket buffers at rmem_max; Aeron asks for its --socket-buffer
      ip netns exec "rq-$n" sysctl -q -w net.core.rmem_max=8388608 net.core.wmem_max=8388608 2>/dev/null || true
    done
    "$0" rate "$rate"
    ;;
  rate)
    rate=${2:?rate}
    for n in "${nodes[@]}"; do
      shape "rq-$n" eth0 "$rate"
      shape rq-sw "rq-$n-s" "$rate"
    done
    ;;
  down)
    for n in "${nodes[@]}" sw; do
      ip netns del "rq-$n" 2>/dev/null || true
    done
    ;;
  *) echo "usage: $0 up RATE | rate RATE | down" >&2; exit 2 ;;
esac
