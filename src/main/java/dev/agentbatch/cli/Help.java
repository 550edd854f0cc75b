package dev.agentbatch.cli;

/**
 * The help text, kept apart so the exit codes and options it documents are read in one place
 * and stay in step with {@link ExitCodes} and the option names the commands accept.
 */
final class Help {

    private Help() {
    }

    static String text() {
        return """
                agent-batch: durable LLM agent tasks as Jakarta Batch jobs on WildFly

                usage: bin/agent-batch COMMAND [ARGS] [OPTIONS]

                first steps:
                  demo [--timeout T]       start the server if needed, stage a full log folder in its
                                           workspace, let the agent fix "%s",
                                           then show its iterations, the job repository and a disk check
                                           (waits up to PT10M by default)

                tasks:
                  submit TEXT [OPTIONS]    submit a task; prints its id (several words are joined)
                      --priority N         0-9
                      --deadline D         time for the whole run, e.g. PT5M or 300 (seconds)
                      --max-iterations N   model turns allowed
                      --budget-tokens N    tokens allowed
                      --tools a,b          only these tools
                      --key K              Idempotency-Key: resubmitting the same body returns the same task
                      --wait               follow the task to its end and exit by its final state
                      --timeout T          give up waiting after T (PT30S or seconds; implies --wait)
                      --json               print the task JSON instead of the id or the summary line
                  status ID [--json]       one task in detail
                  list [--state S] [--limit N] [--json]
                                           tasks, newest first; S is PENDING, RESTART_PENDING, STARTING,
                                           RUNNING, COMPLETED, FAILED or STOPPED
                  transcript ID [--json]   the conversation, grouped by iteration, in-doubt tool calls marked
                  restart ID [--deadline D] [--max-iterations N] [--budget-tokens N] [--wait] [--timeout T] [--json]
                                           queue a restart of a FAILED or STOPPED task (from its checkpoint)
                  stop ID [--wait] [--timeout T] [--json]
                                           ask the server to stop a task

                operations:
                  sql "SELECT ..." [--write]
                                           query the live database (job repository + agent tables, views
                                           AGENT_TASK_RUN and AGENT_TOOL_CALL) while the server runs; read-only
                                           unless --write; AGENT_BATCH_DB_URL points at another database
                  purge [--older-than-days N] [--timeout T]
                                           run the retention job agent-purge now (default: 30 days)

                server (the WildFly provisioned in target/server):
                  server start             start it in the background, wait until healthy (up to 180 s)
                  server stop              stop it (SIGTERM, SIGKILL after 30 s)
                  server status            UP or DOWN

                  help                     this text

                exit codes:
                  %d  COMPLETED; or accepted (submit, restart, stop without --wait); or status, list,
                     transcript worked and the task is neither FAILED nor STOPPED
                  %d  the task FAILED
                  %d  the task was STOPPED
                  %d  bad usage, or input the server rejected (any 4xx; its detail is printed)
                  %d  server unreachable (connection refused or timed out, or a 5xx)
                  %d  --wait timed out (the task goes on; see: status ID)

                environment:
                  AGENT_BATCH_URL          server base URL (default %s)
                  AGENT_BATCH_PORT_OFFSET  without AGENT_BATCH_URL: port 8080 + offset, and the offset
                                           server start passes to WildFly
                  JBOSS_JAVA_SIZING        server JVM memory (default %s)
                  AGENT_BATCH_POLL_MS      how often --wait polls (default 300)
                  AGENT_BATCH_DEBUG        set to 1 to print stack traces with errors

                progress goes to stdout (stderr with --json); errors are one line on stderr.
                """.formatted(DemoCommand.TASK, ExitCodes.OK, ExitCodes.FAILED, ExitCodes.STOPPED, ExitCodes.USAGE,
                ExitCodes.UNREACHABLE, ExitCodes.TIMEOUT, Context.DEFAULT_URL, ServerControl.DEFAULT_SIZING);
    }
}
