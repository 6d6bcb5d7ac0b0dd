#!/usr/bin/env bash
# The README's Kubernetes walkthrough on a throwaway kind cluster, for those with Docker: a cluster and kind's
# local registry on localhost:5001, the images pushed there, the pinned Strimzi operator, k8s/dev, and then the
# check that matters: once rng is stopped and the pipeline drained, PostgreSQL counted exactly the nonces of the
# blocks on miner.blocks. Checked before and after deleting the broker pod and rolling the hashers. The cluster
# and the registry are removed at the end (--keep leaves them). This project's CI does not run it: it needs
# Docker, kind, kubectl and helm, and pulls images from the internet.
# Usage: k8s/e2e/kind.sh [--keep]
set -euo pipefail
cd "$(dirname "$0")/../.."

cluster=kafkacoins
registry=kafkacoins-registry
registry_port=5001
ns=kafkacoins
# The operator's version is the one the build validates the manifests against.
strimzi_version=$(sed -n 's:.*<strimzi-api.version>\(.*\)</strimzi-api.version>.*:\1:p' pom.xml)
# rng's default block size (rng.nonces).
nonces_per_block=65536

for tool in docker kind kubectl helm; do
  command -v "$tool" >/dev/null || { echo "kind.sh needs $tool on the PATH" >&2; exit 1; }
done

teardown() {
  kind delete cluster --name "$cluster" || true
  docker rm -f "$registry" >/dev/null || true
}
if [ "${1:-}" != --keep ]; then
  trap teardown EXIT
fi

# kind's local registry recipe: a registry container published on localhost:5001, and on each node a containerd
# hosts.toml that sends localhost:5001 to that container.
if [ "$(docker inspect -f '{{.State.Running}}' "$registry" 2>/dev/null || true)" != true ]; then
  docker run -d --restart=always -p "127.0.0.1:$registry_port:5000" --network bridge --name "$registry" registry:2
fi
kind create cluster --name "$cluster" --config - <<'EOF'
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
  - |-
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "/etc/containerd/certs.d"
EOF
for node in $(kind get nodes --name "$cluster"); do
  docker exec "$node" mkdir -p "/etc/containerd/certs.d/localhost:$registry_port"
  printf '[host."http://%s:5000"]\n' "$registry" |
    docker exec -i "$node" cp /dev/stdin "/etc/containerd/certs.d/localhost:$registry_port/hosts.toml"
done
docker network connect kind "$registry" 2>/dev/null || true

# The walkthrough, steps 1 to 4.
./mvnw -q -Ppublish-images -DskipTests verify
kubectl apply -f k8s/cluster/namespaces.yaml
helm install strimzi-cluster-operator oci://quay.io/strimzi-helm/strimzi-kafka-operator \
  --version "$strimzi_version" --namespace "$ns" --values strimzi/operator/helm-values.yaml --wait --timeout 5m
# The passwords go through a file only this user reads, never kubectl's command line (ps, /proc/<pid>/cmdline).
creds=$(umask 077 && mktemp)
for role in superuser migrations sink webui; do echo "$role-password=$(openssl rand -hex 24)"; done > "$creds"
kubectl -n "$ns" create secret generic postgres-credentials --from-env-file="$creds"
rm -f "$creds"
kubectl apply -k k8s/dev
kubectl -n "$ns" wait kafka/kafkacoins --for=condition=Ready --timeout=10m
kubectl -n "$ns" wait job/db-migrations --for=condition=Complete --timeout=5m
kubectl -n "$ns" wait deployment --all --for=condition=Available --timeout=5m
kubectl -n "$ns" apply -f k8s/tools/kafka-cli.yaml
kubectl -n "$ns" wait pod/kafka-cli --for=condition=Ready --timeout=5m

# Waits until a pod that was just deleted exists again and is ready.
pod_back() {
  for _ in $(seq 120); do
    if kubectl -n "$ns" get pod "$1" >/dev/null 2>&1; then
      kubectl -n "$ns" wait pod "$1" --for=condition=Ready --timeout=10m
      return
    fi
    sleep 5
  done
  echo "pod $1 did not come back" >&2
  return 1
}

# Stops rng, waits until PostgreSQL has counted every block's nonces once, and starts rng again.
conserved() {
  kubectl -n "$ns" scale deploy/rng --replicas=0
  # (kubectl wait --for=delete fails when the pods are already gone, so ask until none is left.)
  for _ in $(seq 60); do
    [ -z "$(kubectl -n "$ns" get pods -l app.kubernetes.io/name=rng -o name)" ] && break
    sleep 2
  done
  local blocks=0 counted=0 expected=0
  for _ in $(seq 60); do
    # rng writes no transactions, so the end offsets count the blocks.
    blocks=$(kubectl -n "$ns" exec kafka-cli -- kafka-get-offsets.sh --bootstrap-server \
      kafkacoins-kafka-bootstrap:9093 --command-config /tmp/client.properties --topic miner.blocks |
      awk -F: '{ sum += $3 } END { print sum + 0 }')
    counted=$(kubectl -n "$ns" exec statefulset/postgres -- \
      psql -U postgres -d kafkacoins -tAc 'SELECT COALESCE(SUM(hashes), 0) FROM hasher_totals')
    expected=$((blocks * nonces_per_block))
    if [ "$blocks" -gt 0 ] && [ "$counted" = "$expected" ]; then
      echo "conserved: $blocks blocks, $counted hashes counted"
      kubectl -n "$ns" scale deploy/rng --replicas=1
      return
    fi
    sleep 5
  done
  echo "NOT conserved: $blocks blocks x $nonces_per_block = $expected nonces, PostgreSQL counted $counted" >&2
  return 1
}

sleep 60
conserved

# Step 8: the broker goes; its volume keeps topics, offsets and users.
kubectl -n "$ns" delete pod kafkacoins-dual-role-0
pod_back kafkacoins-dual-role-0
kubectl -n "$ns" wait kafka/kafkacoins --for=condition=Ready --timeout=10m

# Step 9: a rolling update of the hashers under load.
sleep 30
kubectl -n "$ns" rollout restart deploy/hasher
kubectl -n "$ns" rollout status deploy/hasher --timeout=5m
sleep 30
conserved
echo "kind walkthrough passed"
