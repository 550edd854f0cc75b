
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
# H2, the default database (AGENT_BATCH_DB_URL unset): per-purpose users whose passwords are made at first boot, never
# sa/sa (bin/agent-batch-h2-users.sh). The datasource gets the owner's through AGENT_BATCH_DB_USER/_PASSWORD,
# exported here (not on any command line).
if [ -z "$AGENT_BATCH_DB_URL" ]; then
  __ab_base="${JBOSS_BASE_DIR:-$JBOSS_HOME/standalone}"
  __ab_data=""
  for __ab_opt in $SERVER_OPTS; do
    __ab_opt="${__ab_opt%\"}"; __ab_opt="${__ab_opt#\"}"
    case "$__ab_opt" in
      -Djboss.server.base.dir=*) __ab_base="${__ab_opt#*=}" ;;
      -Djboss.server.data.dir=*) __ab_data="${__ab_opt#*=}" ;;
    esac
  done
  __ab_dir="${__ab_data:-$__ab_base/data}/agent-batch"
  "$JBOSS_HOME/bin/agent-batch-h2-users.sh" "$__ab_dir" || exit 1
  export AGENT_BATCH_DB_USER=AGENT_BATCH
  AGENT_BATCH_DB_PASSWORD=$(sed -n 's/^password=//p' "$__ab_dir/database.properties"); export AGENT_BATCH_DB_PASSWORD
fi
# Memory per running task (a batch thread each; BENCHMARKS.md, M). The JDK keeps, per thread, a direct buffer as large
# as the largest I/O that thread made (H2's file writes, sockets): ~85 KB of native memory per task. Larger I/O now gets
# a buffer of its own, freed at once.
case "$JAVA_OPTS" in
  *jdk.nio.maxCachedBufferSize*) ;;
  *) JAVA_OPTS="$JAVA_OPTS -Djdk.nio.maxCachedBufferSize=16384" ;;
esac
# And every Java method entry touches the page 20 pages (80 KB) below the stack pointer (the JVM's shadow zone), so each
# thread's stack stays resident 80 KB deeper than it ever reaches (~24 KB here). x86_64's default of 20 pages is for
# the JDK's old native socket write, which put a 64 KB buffer on the stack (hotspot's globals_x86.hpp); Java 17's
# sockets (NioSocketImpl, the default unless -Djdk.net.usePlainSocketImpl) do not, and the JVM allows 10 on this
# architecture (not on others: there the default stays). Saves 40 KB per running task; -XX:StackShadowPages in
# JAVA_OPTS chooses another value.
case "$JAVA_OPTS" in
  *StackShadowPages*) ;;
  *) if [ "$(uname -m)" = x86_64 ]; then JAVA_OPTS="$JAVA_OPTS -XX:StackShadowPages=10"; fi ;;
esac
