
# --- agent-batch (appended once to bin/standalone.conf by the build: src/main/server/standalone.conf.sh) ---
# The micrometer subsystem's Prometheus registry is a community-stability feature.
SERVER_OPTS="$SERVER_OPTS --stability=community"
# The database is chosen at boot: AGENT_BATCH_DB_URL (jdbc:postgresql://…) or, unset, the H2 file. The datasource's
# JDBC driver follows the URL unless AGENT_BATCH_DB_DRIVER says otherwise.
if [ -z "$AGENT_BATCH_DB_DRIVER" ]; then
  case "$AGENT_BATCH_DB_URL" in
    jdbc:postgresql:*) export AGENT_BATCH_DB_DRIVER=postgresql ;;
    *) export AGENT_BATCH_DB_DRIVER=h2 ;;
  esac
fi
# A node's name (several nodes on one database): also the transaction manager's node identifier (at most 23 bytes).
if [ -n "$AGENT_BATCH_NODE_ID" ]; then
  JAVA_OPTS="$JAVA_OPTS -Djboss.node.name=$AGENT_BATCH_NODE_ID -Djboss.tx.node.id=$(printf '%s' "$AGENT_BATCH_NODE_ID" | cut -c1-23)"
fi
# SIGTERM suspends the server first (graceful leave): running tasks stop at their next iteration boundary and are
# handed to a live node. The wait must be at least one iteration (agent-task.xml: iterationTimeoutSeconds, 120 s).
JAVA_OPTS="$JAVA_OPTS -Dorg.wildfly.sigterm.suspend.timeout=${AGENT_BATCH_SHUTDOWN_TIMEOUT:-150}"
