package dev.agentbatch.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * Shows the JBeret job repository rows behind a task, so the demo proves the agent ran as a
 * real batch job: every start or restart is a JOB_EXECUTION, every chunk a commit in STEP_EXECUTION.
 */
final class ExecutionPrinter {

    private ExecutionPrinter() {
    }

    static void print(Node executions, PrintStream out) {
        List<Node> rows = executions.get("executions").items();
        if (rows.isEmpty()) {
            out.println("  (no job executions)");
            return;
        }
        for (Node e : rows) {
            out.println("  job execution " + e.get("executionId").text("?")
                    + "  (instance " + e.get("jobInstanceId").text("?") + ", job " + e.get("jobName").text("?") + ")"
                    + "  batch status " + e.get("batchStatus").text("-")
                    + "  exit status " + e.get("exitStatus").text("-"));
            out.println("    created " + TaskPrinter.time(e.get("createTime"))
                    + "  started " + TaskPrinter.time(e.get("startTime"))
                    + "  ended " + TaskPrinter.time(e.get("endTime")));
            for (Node s : e.get("steps").items()) {
                out.println("    step " + s.get("stepExecutionId").text("?") + " " + s.get("stepName").text("?")
                        + ": batch status " + s.get("batchStatus").text("-")
                        + ", exit status " + s.get("exitStatus").text("-")
                        + ", read " + s.get("readCount").text("0")
                        + ", write " + s.get("writeCount").text("0")
                        + ", commit " + s.get("commitCount").text("0")
                        + ", rollback " + s.get("rollbackCount").text("0")
                        + ", process skip " + s.get("processSkipCount").text("0"));
            }
        }
    }
}
