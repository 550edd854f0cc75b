package dev.agentbatch.cli;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code transcript ID [--json]}: the conversation, iteration by iteration; exits by the task's state. */
@Command(name = "transcript", mixinStandardHelpOptions = true,
        description = "the conversation, grouped by iteration, in-doubt tool calls marked")
final class TranscriptCommand extends TaskCommand {

    @Parameters(index = "0", paramLabel = "ID", converter = Values.TaskId.class, description = "the task id")
    long id;

    @Option(names = "--json", description = "print the transcript JSON")
    boolean json;

    @Override
    public Integer call() {
        JsonNode transcript = api().transcript(id);
        JsonNode task = api().task(id);
        if (json) {
            ctx().out().println(Json.pretty(transcript));
        } else {
            ctx().out().println("transcript of task " + id + " (" + Json.text(task.path("state"), "?") + ")");
            new TranscriptPrinter(ctx().out(), 0).print(transcript);
        }
        return ExitCodes.forState(Json.text(task.path("state")));
    }
}
