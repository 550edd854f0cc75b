package dev.agentbatch.queue;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import dev.agentbatch.config.AgentBatchConfig;
import dev.agentbatch.task.AgentTask;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Takes over the tasks of dead nodes, and the tasks a leaving node handed off, within this node's free slots. For
 * each: a compare-and-set on the task's owner and epoch (exactly one node wins, and the dead node's executions are
 * fenced from then on), then the dead node's execution is settled in the job repository (FAILED, NODE_LOST: it must
 * not stay STARTED), then the task is restarted here from its checkpoint. A claim the dead node made but never started
 * goes back to the queue. Each step can be interrupted by a crash: the next pass of any node, or this node's recovery,
 * finishes it from the latest execution (see {@link CrashRecovery}).
 */
@ApplicationScoped
public class Takeover {

    private static final Logger LOG = Logger.getLogger(Takeover.class.getName());

    @Inject
    QueueStore tasks;
    @Inject
    NodeRegistry nodes;
    @Inject
    ExecutionRows executions;
    @Inject
    AgentBatchConfig config;
    @Inject
    dev.agentbatch.security.SystemIdentity system;

    /** @return how many tasks this node took over (each holds one of the {@code free} slots) */
    public int run(int free) {
        String me = config.nodeId();
        Duration lease = config.nodeLease();
        Map<String, NodeRegistry.Node> known = nodes.all().stream()
                .collect(Collectors.toMap(NodeRegistry.Node::name, Function.identity()));
        int taken = 0;
        for (AgentTask task : tasks.heldElsewhere(me)) {
            NodeRegistry.Node owner = task.nodeId == null ? null : known.get(task.nodeId);
            if (owner != null && owner.alive(lease)) {
                continue;
            }
            if (task.state == dev.agentbatch.task.TaskState.STARTING && task.jobExecutionId == null) {
                int released = tasks.releaseUnstartedClaims(task.nodeId, java.time.Instant.now());
                if (released > 0) {
                    LOG.info(() -> released + " claim(s) node " + task.nodeId + " made but never started are back in the queue");
                }
                continue;
            }
            if (taken >= free) {
                break;
            }
            if (takeOver(task, owner, me)) {
                taken++;
            }
        }
        return taken;
    }

    private boolean takeOver(AgentTask task, NodeRegistry.Node owner, String me) {
        if (!tasks.takeOver(task.id, task.nodeId, task.epoch, me)) {
            return false; // another node won it, or it moved on
        }
        try {
            JobOperator operator = BatchRuntime.getJobOperator();
            long instance = task.jobInstanceId != null ? task.jobInstanceId
                    : operator.getJobInstance(task.jobExecutionId).getInstanceId();
            ExecutionRows.Row latest = executions.latestOf(instance).orElseThrow();
            boolean lost = latest.isRunning() && executions.markNodeLost(latest.executionId());
            Properties parameters = TaskDispatcher.jobParameters(task);
            parameters.setProperty("jberet.restart.mode", "force"); // this JVM's cache may still say STARTED
            long next = system.call(() -> operator.restart(latest.executionId(), parameters));
            tasks.follow(task.id, task.jobExecutionId, next);
            String from = task.nodeId == null ? "a node that handed it off" : "node " + task.nodeId
                    + (owner == null ? " (gone)" : " (" + owner.state() + ", heartbeat " + owner.heartbeatAge().toMillis() + " ms old)");
            LOG.info(() -> "[task " + task.id + " exec " + next + "] taken over by node " + me + " from " + from
                    + ": epoch " + task.epoch + " → " + (task.epoch + 1) + ", execution " + latest.executionId()
                    + (lost ? " (marked FAILED, NODE_LOST)" : " (" + latest.batchStatus() + ")") + " → " + next
                    + ", resumed from iteration " + task.iterations);
            return true;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "[task " + task.id + "] taken over by node " + me + " but not restarted yet; recovery"
                    + " restarts it from the latest execution", e);
            return true;
        }
    }
}
