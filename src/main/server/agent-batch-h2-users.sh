#!/usr/bin/env bash
# The users of agent-batch's H2 database (the default, one node), made at first boot, never sa/sa:
#   AGENT_BATCH         owns the schema: the datasource's user (Flyway and JBeret create tables as it)
#   AGENT_BATCH_READER  may only SELECT, on every table and view, those made later included: bin/agent-batch sql
# Their passwords are in DIR/database.properties, made here at first boot, readable by this OS user only (its only
# copy). A database an earlier version made (admin sa/sa) is migrated in place: the users are added and sa gets a
# password nobody knows. No password this script makes ever appears on a command line.
# Usage: agent-batch-h2-users.sh DIR   (DIR holds agent-batch.mv.db; bin/standalone.conf calls it before every boot)
set -euo pipefail
dir="$1"
credentials="$dir/database.properties"
ready="$dir/.users"
[ -f "$credentials" ] && [ -f "$ready" ] && exit 0

home="$(cd "$(dirname "$0")/.." && pwd)"
java="java"; [ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"; [ -n "${JAVA:-}" ] && java="$JAVA"
h2=$(ls "$home"/modules/system/layers/base/com/h2database/h2/main/h2-*.jar 2>/dev/null | head -1)
secret() { head -c 30 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
umask 077
mkdir -p "$dir"
if [ ! -f "$credentials" ]; then
  printf '%s\n' "# the users of the H2 database next to this file (made at first boot; this file is their only copy)" \
    "user=AGENT_BATCH" "password=$(secret)" "reader.user=AGENT_BATCH_READER" "reader.password=$(secret)" > "$credentials"
fi
owner=$(sed -n 's/^password=//p' "$credentials")
reader=$(sed -n 's/^reader.password=//p' "$credentials")
if [ -f "$dir/agent-batch.mv.db" ]; then
  # a database of an earlier version, whose admin is still sa/sa
  user=sa; login=sa
  first="CREATE USER IF NOT EXISTS AGENT_BATCH PASSWORD '$owner' ADMIN; ALTER USER SA SET PASSWORD '$(secret)';"
else
  # a new database, created by its owner with a password changed at once: the one on the command line below is of no
  # use to anyone who saw it
  user=AGENT_BATCH; login=$(secret)
  first="ALTER USER AGENT_BATCH SET PASSWORD '$owner';"
fi
printf '%s\n' "$first" "CREATE USER IF NOT EXISTS AGENT_BATCH_READER PASSWORD '$reader';" \
  "GRANT SELECT ON SCHEMA PUBLIC TO AGENT_BATCH_READER;" > "$dir/.users.sql"
if ! "$java" -cp "$h2" org.h2.tools.RunScript -url "jdbc:h2:file:$dir/agent-batch" -user "$user" -password "$login" \
     -script "$dir/.users.sql" >"$dir/.users.log" 2>&1; then
  rm -f "$dir/.users.sql"
  echo "agent-batch: cannot set up the users of the H2 database $dir/agent-batch (see $dir/.users.log): a database" \
       "of an earlier version must still accept sa/sa, and no server may have it open" >&2
  exit 1
fi
rm -f "$dir/.users.sql" "$dir/.users.log"
touch "$ready"
