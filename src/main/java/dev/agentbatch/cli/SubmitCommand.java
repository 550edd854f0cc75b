package dev.agentbatch.cli;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code submit TEXT [OPTIONS]}: submits a task and prints its id, or follows it to its end. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "submit a task; prints its id (several words are joined)")
final class SubmitCommand extends TaskCommand {

    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "what the agent should do")
    List<String> words;

    @Option(names = "--priority", paramLabel = "N", converter = Values.Priority.class,
            description = "0-9 (default 4; 9 runs first)")
    Long priority;

    @Mixin
    LimitOptions limits = new LimitOptions();

    @Option(names = "--tools", paramLabel = "TOOL", split = ",", description = "only these tools")
    List<String> tools;

    @Option(names = "--approval", paramLabel = "RULE", split = ",",
            description = "tool calls that need a person's approval: a tool (clean_logs), or http_request by method"
                    + " (http_request:POST+DELETE, http_request:!GET+HEAD); 'none' for none (default: the server's"
                    + " AGENT_BATCH_APPROVAL_TOOLS)")
    List<String> approval;

    @Option(names = "--approval-timeout", paramLabel = "D", converter = Values.DurationValue.class,
            description = "how long a gated call waits for a decision before it is denied, e.g. PT4H")
    Duration approvalTimeout;

    @Option(names = "--context-tokens", paramLabel = "N", converter = Values.PositiveLong.class,
            description = "the model's context in tokens: longer conversations are trimmed in the request")
    Long contextTokens;

    @Option(names = "--key", paramLabel = "K", converter = Values.NonBlank.class,
            description = "Idempotency-Key: resubmitting the same body returns the same task")
    String key;

    @Mixin
    WaitOptions wait = new WaitOptions();

    @Override
    public Integer call() {
        String input = String.join(" ", words);
        if (input.isBlank()) {
            throw CliException.usage("'submit' needs the task text: bin/agent-batch submit \"Fix the disk space\"");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("input", input);
        putIfSet(body, "priority", priority);
        limits.putInto(body);
        putIfSet(body, "tools", toolList());
        putIfSet(body, "approvalRequired", approvalRules());
        putIfSet(body, "approvalTimeout", approvalTimeout == null ? null : approvalTimeout.toString());
        putIfSet(body, "contextTokens", contextTokens);
        JsonNode task = api().submit(body, key);
        long id = idOf(task);
        if (!wait.waiting()) {
            ctx().out().println(wait.json ? Json.pretty(task) : String.valueOf(id));
            return ExitCodes.OK;
        }
        return followAndReport(id, wait);
    }

    /** {@code none} gates nothing (even when the server has default rules); blanks are refused. */
    List<String> approvalRules() {
        if (approval == null) {
            return null;
        }
        List<String> rules = approval.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (rules.equals(List.of("none"))) {
            return List.of();
        }
        if (rules.isEmpty() || rules.contains("none")) {
            throw CliException.usage("--approval needs tool rules, e.g. --approval clean_logs,http_request:!GET+HEAD"
                    + " (or --approval none)");
        }
        return rules;
    }

    /** Blanks dropped; {@code --tools ""} is refused rather than meaning "no tools". */
    List<String> toolList() {
        if (tools == null) {
            return null;
        }
        List<String> names = tools.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty()) {
            throw CliException.usage("--tools needs a comma-separated list, e.g. --tools check_disk,clean_logs");
        }
        return names;
    }
}
