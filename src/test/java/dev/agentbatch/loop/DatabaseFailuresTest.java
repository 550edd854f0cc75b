package dev.agentbatch.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import dev.agentbatch.task.ExitStatus;

/** A database that cannot be reached suspends a task (DATABASE_UNAVAILABLE, resumed later); bad data fails it. */
class DatabaseFailuresTest {

    @Test
    void connectionFailuresAnywhereInTheChainAreUnavailability() {
        assertTrue(DatabaseFailures.isUnavailable(new IllegalStateException(new SQLException("refused", "08001"))));
        assertTrue(DatabaseFailures.isUnavailable(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(DatabaseFailures.isUnavailable(new RuntimeException("Unable to acquire JDBC Connection [IJ000453: Unable to get"
                + " managed connection for java:jboss/datasources/AgentBatchDS]")));
        assertTrue(DatabaseFailures.isUnavailable(new RuntimeException(new SQLException("This connection has been closed."))));
    }

    @Test
    void dataErrorsAreNot() {
        assertFalse(DatabaseFailures.isUnavailable(new SQLException("duplicate key", "23505")));
        assertFalse(DatabaseFailures.isUnavailable(new IllegalStateException("bug")));
    }

    @Test
    void theStepEndsDatabaseUnavailableEvenWhenTheIterationRanOutOfRetriesOnIt() {
        assertEquals(ExitStatus.DATABASE_UNAVAILABLE, StepFailureListener.describe(
                new RuntimeException(new SQLException("refused", "08006"))).exitStatus());
        assertEquals(ExitStatus.DATABASE_UNAVAILABLE, StepFailureListener.describe(new AgentFailure(ExitStatus.RETRIES_EXHAUSTED,
                "iteration 3 failed 4 times", TransientFailure.databaseUnavailable("could not journal"))).exitStatus());
        assertEquals(ExitStatus.RETRIES_EXHAUSTED, StepFailureListener.describe(new AgentFailure(ExitStatus.RETRIES_EXHAUSTED,
                "iteration 3 failed 4 times", new TransientFailure("model answered HTTP 429", null))).exitStatus());
    }
}
