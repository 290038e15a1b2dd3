# Starts one replica. A StatefulSet gives every pod the same template, so what differs per pod is worked out here:
# the replica id is the pod's ordinal (claro-backoffice-2 -> 2), and its peers are REPLICA_URLS without itself.
set -eu
REPLICA_ID="${POD_NAME##*-}"
PEERS=""
for url in $(printf '%s' "$REPLICA_URLS" | tr ',' ' '); do
  case "$url" in
    "http://$POD_NAME."* | "http://$POD_NAME:"*) ;;
    *) PEERS="${PEERS:+$PEERS,}$url" ;;
  esac
done
export REPLICA_ID PEERS
set -- serve --host "$HOST" --port "$PORT" --var-dir /var/lib/claro-backoffice --replica-id "$REPLICA_ID"
if [ -n "$PEERS" ]; then
  set -- "$@" --peers "$PEERS"
fi
exec claro-backoffice "$@"
