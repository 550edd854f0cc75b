package dev.agentbatch.loop;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.ChatModel;
import dev.agentbatch.model.ModelJournal;
import dev.agentbatch.model.ModelTurn;
import dev.agentbatch.ops.AgentMetrics;
import dev.agentbatch.task.AgentTask;
import dev.agentbatch.task.TaskMessage;
import dev.agentbatch.task.TaskStore;
import dev.agentbatch.tools.ToolRegistry;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Reads the next iteration: asks the model for its next turn, or replays the turn the model journal already
 * holds for that iteration (a restart never pays twice). Returns null after the final answer, which ends
 * the step. Checks the limits before every call and fails the task with a clear exit status when one is spent.
 */
@Named("agentTurnReader")
@Dependent
public class AgentTurnReader extends AbstractItemReader {

    private static final Logger LOG = Logger.getLogger(AgentTurnReader.class.getName());

    @Inject
    JobContext jobContext;
    @Inject
    StepContext stepContext;
    @Inject
    TaskStore tasks;
    @Inject
    ModelJournal journal;
    @Inject
    ChatModel model;
    @Inject
    ToolRegistry tools;
    @Inject
    AgentMetrics metrics;

    @Inject
    @BatchProperty
    String taskId;
    @Inject
    @BatchProperty
    String maxIterations;
    @Inject
    @BatchProperty
    String budgetTokens;
    @Inject
    @BatchProperty
    String deadline;
    @Inject
    @BatchProperty
    String iterationTimeoutSeconds;
    @Inject
    @BatchProperty
    String toolFailureLimit;

    private long id;
    private int lastRead;
    private int epoch;
    private Limits limits;

    @Override
    public void open(Serializable checkpoint) {
        id = Long.parseLong(taskId);
        AgentTask task = tasks.snapshot(id);
        epoch = task.epoch;
        lastRead = task.iterations;
        if (checkpoint instanceof AgentCheckpoint cp && cp.iterations() != task.iterations) {
            LOG.warning(() -> prefix() + "checkpoint says " + cp.iterations() + " iterations, the task "
                    + task.iterations + "; the task's committed transcript wins");
        }
        limits = Limits.of(maxIterations, budgetTokens, deadline, iterationTimeoutSeconds, toolFailureLimit, task.startedAt);
        LOG.info(() -> prefix() + "agent loop opened at iteration " + lastRead + " (epoch " + epoch + ", " + limits + ")");
    }

    @Override
    public Object readItem() {
        Instant iterationStart = Instant.now();
        long startedNanos = System.nanoTime();
        AgentTask task = tasks.snapshot(id);
        List<TaskMessage> rows = tasks.messagesOutsideTransaction(id);
        List<ChatMessage> conversation = TaskStore.conversation(rows);
        ChatMessage last = conversation.get(conversation.size() - 1);
        if (last.isFinalAnswer()) {
            return null;
        }
        int next = lastRead + 1;
        Instant deadlineAt = limits.check(next, task.totalTokens(), task.toolFailures, iterationStart);
        List<String> allowList = task.tools == null ? null : Arrays.asList(task.tools.split(","));

        Optional<ModelTurn> journaled = journal.find(id, next);
        ModelTurn turn;
        if (journaled.isPresent()) {
            turn = journaled.get();
            metrics.modelCall("replayed", null);
            LOG.info(() -> prefix() + "iteration " + next + ": replaying the journaled model answer (not paid again)");
        } else {
            Duration timeout = Duration.between(Instant.now(), deadlineAt);
            if (timeout.isNegative() || timeout.isZero()) {
                throw limits.deadlineFailure();
            }
            long start = System.nanoTime();
            try {
                turn = model.next(conversation, tools.specs(allowList), timeout);
            } catch (RuntimeException e) {
                RuntimeException failure = limits.runDeadlinePassed(Instant.now())
                        ? limits.deadlineFailure() : FailureClassifier.classifyModelFailure(e);
                metrics.modelCall(failure instanceof TransientFailure ? "transient_error" : "permanent_error", null);
                throw failure;
            }
            long latencyMs = (System.nanoTime() - start) / 1_000_000;
            metrics.modelCall("success", Duration.ofNanos(System.nanoTime() - start));
            journal.record(id, next, jobContext.getExecutionId(), model.modelName(), turn, latencyMs);
        }
        lastRead = next;
        return new AgentTurn(id, jobContext.getExecutionId(), epoch, next, turn, journaled.isPresent(),
                deadlineAt, allowList, startedNanos);
    }

    /**
     * Takes the pause {@link BackoffRetryListener} planned. JBeret closes the reader after it has rolled the
     * failed chunk back and before it begins the retry's transaction: the one point of a retry where no
     * transaction is open. Never sleeps past the run's deadline.
     */
    @Override
    public void close() {
        if (stepContext.getTransientUserData() instanceof BackoffRetryListener.RetryCount retries && retries.pending() != null) {
            Duration pause = limits == null ? retries.pending().delay() : limits.capToRunDeadline(retries.pending().delay(), Instant.now());
            stepContext.setTransientUserData(retries.taken());
            LOG.info(() -> prefix() + "backing off " + pause.toMillis() + " ms before retry " + retries.count());
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public Serializable checkpointInfo() {
        return new AgentCheckpoint(lastRead);
    }

    private String prefix() {
        return "[task " + id + " exec " + jobContext.getExecutionId() + "] ";
    }
}
