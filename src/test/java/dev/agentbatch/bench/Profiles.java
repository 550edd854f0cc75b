package dev.agentbatch.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads a JFR recording of the server (method profiling, {@code settings=profile}) into the two tables BENCHMARKS.md
 * keeps: where the CPU went by component (the innermost frame that belongs to a known component: H2, Hibernate, the
 * JCA pool, Narayana, JBeret…), and the hottest methods.
 */
final class Profiles {

    /** Package prefixes, most specific first; the first match of the innermost-first walk names the component. */
    private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("dev.agentbatch.", "agent-batch");
        COMPONENTS.put("org.h2.", "H2");
        COMPONENTS.put("org.postgresql.", "PostgreSQL driver");
        COMPONENTS.put("org.hibernate.", "Hibernate");
        COMPONENTS.put("org.jboss.jca.", "JCA pool");
        COMPONENTS.put("org.jboss.as.connector.", "JCA pool");
        COMPONENTS.put("com.arjuna.", "Narayana");
        COMPONENTS.put("org.jboss.narayana.", "Narayana");
        COMPONENTS.put("org.wildfly.transaction.", "Narayana");
        COMPONENTS.put("org.jberet.", "JBeret");
        COMPONENTS.put("org.wildfly.extension.batch.", "JBeret");
        COMPONENTS.put("com.fasterxml.jackson.", "Jackson");
        COMPONENTS.put("okhttp3.", "OkHttp");
        COMPONENTS.put("okio.", "OkHttp");
        COMPONENTS.put("com.openai.", "openai-java");
        COMPONENTS.put("kotlin.", "openai-java");
        COMPONENTS.put("io.undertow.", "Undertow");
        COMPONENTS.put("org.jboss.resteasy.", "RESTEasy");
        COMPONENTS.put("org.jboss.weld.", "Weld (CDI)");
        COMPONENTS.put("org.jboss.logmanager.", "logging");
        COMPONENTS.put("org.jboss.logging.", "logging");
        COMPONENTS.put("io.micrometer.", "Micrometer");
        COMPONENTS.put("org.wildfly.security.", "Elytron");
        COMPONENTS.put("org.jboss.as.ee.", "WildFly EE");
        COMPONENTS.put("org.jboss.invocation.", "WildFly EE");
        COMPONENTS.put("java.", "JDK");
        COMPONENTS.put("jdk.", "JDK");
        COMPONENTS.put("sun.", "JDK");
    }

    /**
     * Where a sample's CPU went in the agent's own terms: the first of these methods found anywhere on its stack (most
     * specific first), so each phase includes what it calls (H2, Hibernate, openai-java…). JBeret's chunk loop is what
     * its chunk does apart from our reader, processor and writer: the checkpoint, the commit, the next chunk's start.
     */
    private static final Map<String, String> PHASES = new LinkedHashMap<>();

    static {
        PHASES.put("dev.agentbatch.model.ModelJournal.record", "iteration: model journal (its own commit)");
        PHASES.put("dev.agentbatch.model.OpenAiChatModel.next", "iteration: model call (openai-java, HTTP)");
        PHASES.put("dev.agentbatch.loop.AgentTurnReader.readItem", "iteration: reader, the rest (task read, limits)");
        PHASES.put("dev.agentbatch.loop.ToolCallProcessor.processItem", "iteration: tool calls (ledger included)");
        PHASES.put("dev.agentbatch.loop.TranscriptWriter.writeItems", "iteration: writer (task, transcript, event)");
        PHASES.put("dev.agentbatch.loop.AgentTurnReader.open", "task: loop opens (conversation read)");
        PHASES.put("org.jberet.runtime.runner.ChunkRunner.", "iteration: JBeret chunk loop (checkpoint, commit, next chunk)");
        PHASES.put("dev.agentbatch.loop.TaskStateListener.beforeJob", "task: execution begins (epoch, RUNNING)");
        PHASES.put("dev.agentbatch.loop.TaskStateListener.afterJob", "task: execution ends (state, queue)");
        PHASES.put("dev.agentbatch.task.TaskResource.submit", "task: submission (REST)");
        PHASES.put("dev.agentbatch.queue.TaskDispatcher.launch", "task: job start (JobOperator.start, attach)");
        PHASES.put("dev.agentbatch.queue.CrashRecovery.resume", "task: recovery's restart (JobOperator.restart, force)");
        PHASES.put("dev.agentbatch.queue.CrashRecovery.reconcile", "task: recovery, the rest (latest execution, follow)");
        PHASES.put("dev.agentbatch.queue.TaskDispatcher.pass", "task: dispatcher pass (claim, recovery, metrics)");
        PHASES.put("org.jberet.runtime.runner.", "task: JBeret job and step runners (repository rows)");
        PHASES.put("io.undertow.", "REST, the rest (polling, authentication)");
    }

    private Profiles() {
    }

    /** The component table and the top methods, in Markdown. */
    static String summarize(Path recording, String title, int topMethods) throws IOException {
        Map<String, Integer> byComponent = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        Map<String, Integer> byPhase = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            byMethod.merge(name(frames.get(0)), 1, Integer::sum);
            byComponent.merge(component(frames), 1, Integer::sum);
            byPhase.merge(phase(frames), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder("**" + title + "** (" + samples + " execution samples)\n\n| component | share |\n|---|---|\n");
        int total = Math.max(1, samples);
        byComponent.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .forEach(e -> b.append(String.format(Locale.ROOT, "| %s | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / total)));
        b.append("\n| phase (the first of ours or JBeret's on the stack; what it calls included) | share |\n|---|---|\n");
        byPhase.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> b.append(String.format(Locale.ROOT, "| %s | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / total)));
        b.append("\n| hottest methods (innermost frame) | share |\n|---|---|\n");
        byMethod.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(topMethods)
                .forEach(e -> b.append(String.format(Locale.ROOT, "| `%s` | %.1f %% |%n", e.getKey(), 100.0 * e.getValue() / total)));
        return b.toString();
    }

    /** The innermost frame of a known component other than the JDK, else the JDK, else "other". */
    private static String component(List<RecordedFrame> frames) {
        String jdk = null;
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, String> c : COMPONENTS.entrySet()) {
                if (type.startsWith(c.getKey())) {
                    if (!c.getValue().equals("JDK")) {
                        return c.getValue();
                    }
                    jdk = jdk == null ? "JDK" : jdk;
                }
            }
        }
        return jdk != null ? jdk : "other";
    }

    /** The phase of {@link #PHASES} whose method is on the stack, the most specific first; else "other". */
    private static String phase(List<RecordedFrame> frames) {
        for (Map.Entry<String, String> p : PHASES.entrySet()) {
            for (RecordedFrame frame : frames) {
                if ((frame.getMethod().getType().getName() + "." + frame.getMethod().getName()).startsWith(p.getKey())) {
                    return p.getValue();
                }
            }
        }
        return "other";
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
    }

    /** Starts method profiling in the server's JVM. */
    static void start(long pid, Path file) throws IOException, InterruptedException {
        jcmd(pid, "JFR.start", "name=bench", "settings=profile", "filename=" + file);
    }

    static void stop(long pid) throws IOException, InterruptedException {
        jcmd(pid, "JFR.stop", "name=bench");
    }

    private static void jcmd(long pid, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid)));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(command + " failed: " + out);
        }
    }
}
