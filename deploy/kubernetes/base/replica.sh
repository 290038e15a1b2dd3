# Starts one replica. A StatefulSet gives every pod the same template, so what differs per pod is worked out here:
# REPLICA_ID is the pod's name (claro-backoffice-2: the number it ends in picks its CUN range) and PEERS, the
# replicas whose sandboxes GET /admin/sandboxes lists too, is REPLICA_URLS without this one.
set -eu
PEERS=""
for url in $(printf '%s' "$REPLICA_URLS" | tr ',' ' '); do
  case "$url" in
    "http://$REPLICA_ID."* | "http://$REPLICA_ID:"*) ;;
    *) PEERS="${PEERS:+$PEERS,}$url" ;;
  esac
done
export PEERS
exec claro-backoffice serve --host "$HOST" --port "$PORT" --var-dir /var/lib/claro-backoffice
