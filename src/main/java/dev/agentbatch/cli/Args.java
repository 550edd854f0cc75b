package dev.agentbatch.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The options of one command, checked before anything is sent: a typo must cost a usage line
 * (exit 3), never a half-configured task on the server. Accepts {@code --opt value} and
 * {@code --opt=value}; {@code --} ends the options so a task text may start with a dash.
 */
final class Args {

    private final String command;
    private final List<String> positionals;
    private final Map<String, String> options;

    private Args(String command, List<String> positionals, Map<String, String> options) {
        this.command = command;
        this.positionals = positionals;
        this.options = options;
    }

    /**
     * @param flags  options without a value, e.g. {@code --wait}
     * @param valued options that take a value, e.g. {@code --priority}
     */
    static Args parse(String command, List<String> tokens, Set<String> flags, Set<String> valued) {
        List<String> positionals = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (optionsEnded || !token.startsWith("--") || token.equals("-")) {
                positionals.add(token);
                continue;
            }
            if (token.equals("--")) {
                optionsEnded = true;
                continue;
            }
            int eq = token.indexOf('=');
            String name = eq < 0 ? token : token.substring(0, eq);
            String value;
            if (flags.contains(name)) {
                if (eq >= 0) {
                    throw CliException.usage(name + " takes no value");
                }
                value = "true";
            } else if (valued.contains(name)) {
                if (eq >= 0) {
                    value = token.substring(eq + 1);
                } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                    value = tokens.get(++i);
                } else {
                    throw CliException.usage(name + " needs a value");
                }
            } else {
                throw CliException.usage("unknown option " + name + " for '" + command
                        + "' (see: bin/agent-batch help)");
            }
            if (options.put(name, value) != null) {
                throw CliException.usage(name + " given twice");
            }
        }
        return new Args(command, positionals, options);
    }

    static Set<String> names(String... names) {
        return Set.copyOf(Arrays.asList(names));
    }

    List<String> positionals() {
        return positionals;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    String text(String name) {
        String value = options.get(name);
        if (value != null && value.isBlank()) {
            throw CliException.usage(name + " must not be empty");
        }
        return value;
    }

    Integer integer(String name, int min, int max) {
        Long value = longValue(name, min, max);
        return value == null ? null : value.intValue();
    }

    Long longValue(String name, long min, long max) {
        String value = options.get(name);
        if (value == null) {
            return null;
        }
        String range = max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                ? (min == 1 ? "a positive integer" : "an integer >= " + min)
                : "an integer " + min + "-" + max;
        if (!value.trim().matches("-?[0-9]{1,18}")) {
            throw CliException.usage(name + " must be " + range + ", got '" + value + "'");
        }
        long parsed = Long.parseLong(value.trim());
        if (parsed < min || parsed > max) {
            throw CliException.usage(name + " must be " + range + ", got " + parsed);
        }
        return parsed;
    }

    Duration duration(String name) {
        String value = options.get(name);
        if (value == null) {
            return null;
        }
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, name + " " + e.getMessage() + ", got '" + value + "'", e);
        }
    }

    /** Comma-separated, blanks dropped; {@code --tools ""} is refused rather than meaning "no tools". */
    List<String> list(String name) {
        String value = options.get(name);
        if (value == null) {
            return null;
        }
        List<String> items = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (items.isEmpty()) {
            throw CliException.usage(name + " needs a comma-separated list, e.g. " + name + " read_file,delete_file");
        }
        return items;
    }

    /** The single task id every per-task command starts with. */
    long taskId() {
        if (positionals.isEmpty()) {
            throw CliException.usage("'" + command + "' needs a task id: bin/agent-batch " + command + " ID");
        }
        if (positionals.size() > 1) {
            throw CliException.usage("'" + command + "' takes one task id, got: " + String.join(" ", positionals));
        }
        String id = positionals.get(0);
        if (!id.matches("[0-9]{1,18}")) {
            throw CliException.usage("task id must be a number, got '" + id + "'");
        }
        return Long.parseLong(id);
    }

    void noPositionals() {
        if (!positionals.isEmpty()) {
            throw CliException.usage("'" + command + "' takes no argument '" + positionals.get(0) + "'");
        }
    }
}
