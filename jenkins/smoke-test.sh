#!/bin/sh
# Smoke test of a deployed KafkaCoins: the dashboard API must report a hash rate above zero within a bound.
# Usage: jenkins/smoke-test.sh <namespace> <seconds>
# Reaches the dashboard through kubectl port-forward on this machine's loopback, so it needs no Ingress.
set -u
namespace=$1
seconds=$2
port=18480

kubectl -n "$namespace" port-forward svc/webui "$port:80" --address 127.0.0.1 >/tmp/port-forward.log 2>&1 &
forward=$!
trap 'kill $forward 2>/dev/null' EXIT

waited=0
while [ "$waited" -lt "$seconds" ]; do
  answer=$(curl -fsS --max-time 5 "http://127.0.0.1:$port/api/summary" 2>/dev/null)
  if [ -n "$answer" ] && echo "$answer" | jq -e '.rate > 0' >/dev/null; then
    echo "smoke test passed after ${waited}s: $answer"
    exit 0
  fi
  sleep 5
  waited=$((waited + 5))
done
echo "smoke test failed: no hash rate above 0 within ${seconds}s (last answer: ${answer:-none})" >&2
cat /tmp/port-forward.log >&2
exit 1
