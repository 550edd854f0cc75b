package dev.agentbatch.cli;

import java.io.PrintStream;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Shows the JBeret job repository rows behind a task, so the demo proves the agent ran as a
 * real batch job: every start or restart is a JOB_EXECUTION, every chunk a commit in STEP_EXECUTION.
 */
final class ExecutionPrinter {

    private ExecutionPrinter() {
    }

    static void print(JsonNode executions, PrintStream out) {
        List<JsonNode> rows = Json.items(executions.path("executions"));
        if (rows.isEmpty()) {
            out.println("  (no job executions)");
            return;
        }
        for (JsonNode e : rows) {
            out.println("  job execution " + Json.text(e.path("executionId"), "?")
                    + "  (instance " + Json.text(e.path("jobInstanceId"), "?")
                    + ", job " + Json.text(e.path("jobName"), "?") + ")"
                    + "  batch status " + Json.text(e.path("batchStatus"), "-")
                    + "  exit status " + Json.text(e.path("exitStatus"), "-"));
            out.println("    created " + TaskPrinter.time(e.path("createTime"))
                    + "  started " + TaskPrinter.time(e.path("startTime"))
                    + "  ended " + TaskPrinter.time(e.path("endTime")));
            for (JsonNode s : Json.items(e.path("steps"))) {
                out.println("    step " + Json.text(s.path("stepExecutionId"), "?") + " "
                        + Json.text(s.path("stepName"), "?")
                        + ": batch status " + Json.text(s.path("batchStatus"), "-")
                        + ", exit status " + Json.text(s.path("exitStatus"), "-")
                        + ", read " + Json.text(s.path("readCount"), "0")
                        + ", write " + Json.text(s.path("writeCount"), "0")
                        + ", commit " + Json.text(s.path("commitCount"), "0")
                        + ", rollback " + Json.text(s.path("rollbackCount"), "0")
                        + ", process skip " + Json.text(s.path("processSkipCount"), "0"));
            }
        }
    }
}
