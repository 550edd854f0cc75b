package dev.agentbatch.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the job listener mirrors into the task from an execution's job parameters, as its job XML hands them over. */
class StartLimitsTest {

    @Test
    void givenLimitsAreMirroredTrimmed() {
        assertEquals(new TaskStore.StartLimits(5, 2000L, "PT10M"), TaskStore.StartLimits.of(" 5 ", "2000", " PT10M "));
    }

    @Test
    void anUnsetLimitLeavesTheTasksOwn() {
        // an unset job parameter reaches a batch property as null or as an empty string
        assertEquals(new TaskStore.StartLimits(null, null, null), TaskStore.StartLimits.of(null, "", "  "));
    }

    @Test
    void aLimitThatIsNotANumberIsNotMirrored() {
        // the reader fails such an execution with a clear error; the task keeps the limit it had
        assertEquals(new TaskStore.StartLimits(null, null, "PT1M"), TaskStore.StartLimits.of("ten", "1e3", "PT1M"));
    }
}
