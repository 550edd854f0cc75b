package dev.agentbatch.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.agentbatch.it.FakeOpenAiServer.Reply;

/**
 * No task is stranded RUNNING: when the end of an execution cannot be recorded (a fault injected into the job
 * listener's write), the stranded-task sweep of the next dispatcher pass finds the task RUNNING with no live execution
 * behind it and settles it from the job repository, with the execution's own exit status.
 */
class StrandedTaskIT extends IntegrationTestBase {

    @Test
    void aTaskWhoseEndCouldNotBeRecordedIsSettledByTheSweep() {
        // given: recording the end of the task's execution fails once
        String scenario = scenario("stranded");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.answer("done"));

        // when
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "] [fault:fail-mark-ended]"));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then: settled from JOB_EXECUTION, which says COMPLETED (the failed write did not turn the job FAILED)
        assertEquals("COMPLETED", task.path("state").asText(), task.toString());
        assertEquals("COMPLETED", task.path("exitStatus").asText());
        List<Map<String, Object>> exec = JobRepository.query(
                "select BATCHSTATUS, EXITSTATUS from JOB_EXECUTION where JOBEXECUTIONID = ?", task.path("executionId").asLong());
        assertEquals("COMPLETED", exec.get(0).get("BATCHSTATUS"));
        assertEquals(2, task.path("iterations").asInt());
    }

    @Test
    void aFailedTaskWhoseEndCouldNotBeRecordedKeepsItsExitStatus() {
        // given
        String scenario = scenario("stranded-failed");
        MODEL.scriptSimple(scenario, Reply.tools("check_disk", "{}"), Reply.tools("check_disk", "{}"));

        // when
        long id = API.submit(Map.of("input", "Go [scenario:" + scenario + "] [fault:fail-mark-ended]", "maxIterations", 1));
        JsonNode task = API.awaitTermination(id, Duration.ofSeconds(60));

        // then
        assertEquals("FAILED", task.path("state").asText(), task.toString());
        assertEquals("ITERATION_LIMIT", task.path("exitStatus").asText(), task.toString());
    }
}
