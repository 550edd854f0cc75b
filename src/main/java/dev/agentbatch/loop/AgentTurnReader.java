package dev.agentbatch.loop;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import dev.agentbatch.approval.ApprovalPolicy;
import dev.agentbatch.approval.Approvals;
import dev.agentbatch.model.ChatMessage;
import dev.agentbatch.model.ChatModel;
import dev.agentbatch.model.ModelJournal;
import dev.agentbatch.model.ModelTurn;
import dev.agentbatch.model.ToolCall;
import dev.agentbatch.ops.AgentMetrics;
import dev.agentbatch.task.AgentTask;
import dev.agentbatch.task.ExitStatus;
import dev.agentbatch.task.TaskProgress;
import dev.agentbatch.task.TaskStore;
import dev.agentbatch.task.UniqueViolation;
import dev.agentbatch.tools.ToolCallRecord;
import dev.agentbatch.tools.ToolLedger;
import dev.agentbatch.tools.ToolRegistry;
import jakarta.batch.api.BatchProperty;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.context.JobContext;
import jakarta.batch.runtime.context.StepContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Reads the next iteration: asks the model for its next turn, or replays the turn the model journal already
 * holds for that iteration (a restart never pays twice). Returns null after the final answer, which ends
 * the step, and at a stop request, which stops it at this iteration boundary. Checks the limits before every call
 * and fails the task with a clear exit status when one is spent, or when the iteration is out of retries.
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
    Approvals approvals;

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
    @Inject
    @BatchProperty
    String contextTokens;
    @Inject
    @BatchProperty
    String contextReserveTokens;
    @Inject
    @BatchProperty
    String contextKeepIterations;

    private long id;
    private int lastRead;
    private int epoch;
    private Limits limits;
    private ApprovalPolicy policy;
    /** Fixed at submission, read when the loop opens: how long a gated call may wait, and the tools the task may use. */
    private Duration approvalTimeout;
    private List<String> allowList;
    /** The conversation as committed up to iteration {@link #conversationAt}; null: read it from the transcript. */
    private List<ChatMessage> conversation;
    private int conversationAt;
    /** The item returned last: once its chunk committed, its written messages extend {@link #conversation}. */
    private AgentTurn lastTurn;
    /** Answers journaled by an earlier execution and not replayed yet, by iteration (read when the loop opens). */
    private Map<Integer, ModelTurn> journaled = Map.of();
    /** An answer received but not yet journaled (the journal's write failed): kept so that a retry does not pay again. */
    private Answer unjournaled;

    private ContextWindow window;
    /** The model's count of the last request's tokens, and that request's characters (0: none since the loop opened). */
    private long lastPromptTokens;
    private long lastPromptChars;

    /**
     * A model answer as received, with how long it took.
     *
     * @param contextTrimmed what its request left out to fit the model's context, or null
     */
    private record Answer(int iteration, ModelTurn turn, long latencyMs, String contextTrimmed) {
    }

    @Override
    public void open(Serializable checkpoint) {
        id = Long.parseLong(taskId);
        AgentTask task = tasks.snapshot(id);
        if (epoch == 0) {
            epoch = task.epoch; // the epoch this execution took in beforeJob; a reopen after a rollback keeps it
        }
        lastRead = task.iterations;
        conversation = null;
        lastTurn = null;
        journaled = journal.after(id, lastRead);
        Integer checkpointed = AgentCheckpoint.iterations(checkpoint);
        if (checkpointed != null && checkpointed != task.iterations) {
            LOG.warning(() -> prefix() + "checkpoint says " + checkpointed + " iterations, the task "
                    + task.iterations + "; the task's committed transcript wins");
        }
        limits = Limits.of(maxIterations, budgetTokens, deadline, iterationTimeoutSeconds, toolFailureLimit, task.startedAt)
                .excludingApprovalWait(approvals.waited(id));
        policy = ApprovalPolicy.stored(task.approvalRequired);
        approvalTimeout = task.approvalTimeout == null ? null : Duration.parse(task.approvalTimeout);
        allowList = task.tools == null ? null : Arrays.asList(task.tools.split(","));
        window = ContextWindow.of(contextTokens, contextReserveTokens, contextKeepIterations);
        lastPromptTokens = 0;
        lastPromptChars = 0;
        LOG.info(() -> prefix() + "agent loop opened at iteration " + lastRead + " (epoch " + epoch + ", " + limits + ")");
    }

    @Override
    public Object readItem() {
        Instant iterationStart = Instant.now();
        long startedNanos = System.nanoTime();
        int next = lastRead + 1;
        IterationAttempts attempts = IterationAttempts.of(stepContext, next);
        if (attempts.isExhausted()) {
            throw new AgentFailure(ExitStatus.RETRIES_EXHAUSTED, "iteration " + next + " failed " + attempts.retries()
                    + " times, past its retry limit; last error: " + attempts.lastError().getMessage(), attempts.lastError());
        }
        TaskProgress task = tasks.progress(id);
        if (task.epoch() != epoch) {
            throw new AgentFailure(ExitStatus.FENCED, "execution " + jobContext.getExecutionId() + " carried task " + id
                    + " at epoch " + epoch + " but the task is now at epoch " + task.epoch() + ": a newer execution carries it");
        }
        if (task.stopRequestedAt() != null) {
            LOG.info(() -> prefix() + "stop requested at " + task.stopRequestedAt() + ": stopping before iteration " + next);
            BatchRuntime.getJobOperator().stop(jobContext.getExecutionId());
            return null;
        }
        List<ChatMessage> conversation = conversation(task.iterations());
        ChatMessage last = conversation.get(conversation.size() - 1);
        if (last.isFinalAnswer()) {
            return null;
        }
        Instant deadlineAt = limits.check(next, task.totalTokens(), task.toolFailures(), iterationStart);

        ModelTurn fromJournal = journaled.remove(next);
        boolean replayed = fromJournal != null;
        ModelTurn turn;
        if (replayed) {
            turn = fromJournal;
            metrics.modelCall("replayed", null);
            LOG.info(() -> prefix() + "iteration " + next + ": replaying the journaled model answer (not paid again)");
        } else if (unjournaled != null && unjournaled.iteration() == next) {
            turn = keep(unjournaled);
        } else {
            turn = keep(ask(next, conversation, allowList, deadlineAt));
        }
        List<ToolCall> gated = policy.gated(turn.message().toolCalls(), tools);
        if (!gated.isEmpty() && awaitsApproval(next, turn.message().toolCalls(), gated)) {
            return null;
        }
        lastRead = next;
        lastTurn = new AgentTurn(id, jobContext.getExecutionId(), epoch, next, turn, replayed, deadlineAt, allowList,
                startedNanos, gated.stream().map(ToolCall::id).collect(Collectors.toUnmodifiableSet()), new ArrayList<>());
        return lastTurn;
    }

    /**
     * The conversation as committed, kept between chunks: the messages the last chunk committed are added to it, and it
     * is read back from the transcript only when it cannot be trusted (the loop just opened, after a rollback or a
     * restart, or the task's committed iteration is not the one this reader kept), so an iteration costs the same at
     * iteration 200 as at iteration 1.
     */
    private List<ChatMessage> conversation(int committedIterations) {
        if (lastTurn != null && conversation != null && conversationAt == lastTurn.iteration() - 1
                && committedIterations == lastTurn.iteration() && !lastTurn.written().isEmpty()) {
            conversation.addAll(lastTurn.written());
            conversationAt = lastTurn.iteration();
        }
        lastTurn = null;
        if (conversation == null || conversationAt != committedIterations) {
            conversation = new ArrayList<>(TaskStore.conversation(tasks.messagesOutsideTransaction(id)));
            conversationAt = committedIterations;
        }
        return conversation;
    }

    /**
     * The approval gate. When a gated call of the turn is undecided, records the request (the turn itself is in the
     * journal already) and stops the job here, before any call of the turn runs and without committing the turn: the
     * execution ends STOPPED with exit status AWAITING_APPROVAL, holding no thread, connection or slot, and a restart
     * (the queue's once every call is decided, or anyone's) replays the journaled turn and comes back here. JBeret
     * offers no "stop after this chunk" from inside a step: a {@code <stop>} transition would complete the step (a restart
     * would then skip the loop), and the job operator's stop, asked from the reader with nothing to write, ends the step
     * STOPPED at this boundary exactly as a person's stop does.
     *
     * @return true when the job stops for the approval
     */
    private boolean awaitsApproval(int iteration, List<ToolCall> calls, List<ToolCall> gated) {
        Map<String, ToolCallRecord> rows = approvals.gatedRows(id, iteration);
        if (gated.stream().allMatch(c -> rows.containsKey(c.id()) && rows.get(c.id()).approval.isDecided())) {
            return false;
        }
        Duration timeout = approvalTimeout;
        List<ToolCallRecord> pending;
        try {
            pending = approvals.hold(id, epoch, jobContext.getExecutionId(), iteration, calls, gated, timeout);
        } catch (ToolLedger.Fenced fenced) {
            throw new AgentFailure(ExitStatus.FENCED, "execution " + jobContext.getExecutionId() + ": " + fenced.getMessage());
        }
        if (pending.isEmpty()) {
            return false; // decided while we asked
        }
        LOG.info(() -> prefix() + "iteration " + iteration + ": waiting for approval of "
                + pending.stream().map(r -> r.toolName + " (" + r.toolCallId + ")").toList()
                + (timeout == null ? "" : " (times out after " + timeout + ")")
                + "; the job stops here and holds nothing while it waits");
        jobContext.setExitStatus(ExitStatus.AWAITING_APPROVAL);
        BatchRuntime.getJobOperator().stop(jobContext.getExecutionId());
        return true;
    }

    /**
     * Asks the model, with the conversation fitted to its context (see {@link ContextWindow}). When the model still
     * refuses the request as too long, the conversation is fitted to half the window and sent once more, and the rest
     * of this execution keeps to the half.
     */
    private Answer ask(int iteration, List<ChatMessage> conversation, List<String> allowList, Instant deadlineAt) {
        ContextWindow.Fit fit = window.fit(conversation, lastPromptTokens, lastPromptChars);
        try {
            return ask(iteration, fit, allowList, deadlineAt);
        } catch (ContextRefused refused) {
            ContextWindow.Fit half = window.halved().fit(conversation, 0, 0);
            LOG.warning(() -> prefix() + "iteration " + iteration + ": the model refused a request of about "
                    + fit.estimatedTokens() + " tokens as longer than its context; trying once more with about "
                    + half.estimatedTokens() + " (" + half.describe() + ")");
            try {
                Answer answer = ask(iteration, half, allowList, deadlineAt);
                window = window.halved(); // the model's real context is smaller than declared: keep to what it took
                return answer;
            } catch (ContextRefused again) {
                throw new AgentFailure(ExitStatus.CONTEXT_LENGTH_EXCEEDED, "the model refused iteration " + iteration
                        + "'s request as longer than its context, even trimmed to about " + half.estimatedTokens()
                        + " tokens: " + FailureClassifier.describe(again.getCause()) + "; give the task a smaller"
                        + " contextTokens or keep fewer iterations whole (contextKeepIterations)");
            }
        }
    }

    /** The model's context-length refusal, caught once to trim harder. */
    private static final class ContextRefused extends RuntimeException {
        ContextRefused(RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private Answer ask(int iteration, ContextWindow.Fit fit, List<String> allowList, Instant deadlineAt) {
        Duration timeout = Duration.between(Instant.now(), deadlineAt);
        if (timeout.isNegative() || timeout.isZero()) {
            throw limits.deadlineFailure();
        }
        if (fit.trimmed()) {
            LOG.info(() -> prefix() + "iteration " + iteration + ": the conversation (about " + fit.estimatedTokens()
                    + " tokens after trimming) is fitted to the model's context of " + window.contextTokens() + ": "
                    + fit.describe());
        }
        long start = System.nanoTime();
        ModelTurn turn;
        try {
            turn = model.next(fit.messages(), tools.specs(allowList), timeout);
        } catch (RuntimeException e) {
            if (FailureClassifier.isContextLengthError(e)) {
                metrics.modelCall("permanent_error", null);
                throw new ContextRefused(e);
            }
            RuntimeException failure = limits.runDeadlinePassed(Instant.now())
                    ? limits.deadlineFailure() : FailureClassifier.classifyModelFailure(e);
            metrics.modelCall(failure instanceof TransientFailure ? "transient_error" : "permanent_error", null);
            throw failure;
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        metrics.modelCall("success", latency);
        lastPromptTokens = turn.usage().promptTokens();
        lastPromptChars = ContextWindow.chars(fit.messages());
        return new Answer(iteration, turn, latency.toMillis(), fit.describe());
    }

    /**
     * Validates the answer, then journals it in a transaction of its own. The journal is insert-if-absent: when
     * another execution of the task (a stale one, say) journaled this iteration first, its answer wins and is the
     * one used, so the two never disagree and neither fails on the other's row.
     */
    private ModelTurn keep(Answer answer) {
        int iteration = answer.iteration();
        TurnValidator.validate(answer.turn(), iteration);
        try {
            journal.record(id, iteration, jobContext.getExecutionId(), model.modelName(), answer.turn(), answer.latencyMs(),
                    answer.contextTrimmed());
            unjournaled = null;
            return answer.turn();
        } catch (RuntimeException e) {
            if (UniqueViolation.isCause(e)) {
                unjournaled = null;
                LOG.info(() -> prefix() + "iteration " + iteration + " was journaled by another execution first; using its answer");
                return journal.find(id, iteration).orElseThrow(() -> e);
            }
            unjournaled = answer;
            LOG.log(Level.WARNING, prefix() + "could not journal the model's answer of iteration " + iteration
                    + "; kept in memory, the retry journals it without asking the model again", e);
            String message = "could not journal the model's answer of iteration " + iteration + ": " + FailureClassifier.describe(e);
            throw DatabaseFailures.isUnavailable(e) ? TransientFailure.databaseUnavailable(message) : new TransientFailure(message, null);
        }
    }

    /**
     * Takes the pause {@link BackoffRetryListener} planned. JBeret closes the reader after it has rolled the
     * failed chunk back and before it begins the retry's transaction: the one point of a retry where no
     * transaction is open. Never sleeps past the run's deadline.
     */
    @Override
    public void close() {
        IterationAttempts attempts = IterationAttempts.current(stepContext);
        Duration planned = attempts == null ? null : attempts.takePause();
        if (planned == null) {
            return;
        }
        Duration pause = limits == null ? planned : limits.capToRunDeadline(planned, Instant.now());
        LOG.info(() -> prefix() + "backing off " + pause.toMillis() + " ms before retry " + attempts.retries()
                + " of iteration " + attempts.iteration());
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The committed iterations, as an Integer: JBeret keeps it as it is, where it serializes and reads back an object. */
    @Override
    public Serializable checkpointInfo() {
        return lastRead;
    }

    private String prefix() {
        return "[task " + id + " exec " + jobContext.getExecutionId() + "] ";
    }
}
