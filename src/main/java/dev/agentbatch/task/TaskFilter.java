package dev.agentbatch.task;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tasks a list (or a bulk action) is about, and in which order, as {@code GET /api/tasks} reads it from its
 * query string and {@code POST /api/tasks/bulk/*} from its {@code "filter"} object: the same names, the same
 * meaning. Parsing is strict: an unknown state, sort key or time is a 400 that says what is allowed, never a silently
 * empty list. The values only ever reach the database as query parameters ({@link TaskSearch}).
 *
 * @param states       any of these states (empty: all)
 * @param exitStatuses any of these exit statuses, exactly (empty: all)
 * @param priorities   any of these priorities (empty: all)
 * @param from         on or after this time (inclusive), of {@code time}
 * @param to           before this time (exclusive), of {@code time}
 * @param time         which time {@code from} and {@code to} are about
 * @param text         words the input contains, case-insensitive (null: any)
 * @param sort         the sort key
 * @param descending   the sort direction (ties are broken by id, newest first)
 */
public record TaskFilter(Set<TaskState> states, Set<String> exitStatuses, Set<Integer> priorities, Instant from,
                         Instant to, TimeField time, String text, SortKey sort, boolean descending) {

    /** The parameter names, for the README and the console. */
    public static final List<String> NAMES = List.of("state", "exitStatus", "priority", "from", "to", "time", "q", "sort");

    /** The time a range is about. */
    public enum TimeField {
        UPDATED("updatedAt"), CREATED("createdAt");

        final String attribute;

        TimeField(String attribute) {
            this.attribute = attribute;
        }
    }

    /** What a list can be sorted by: each names an attribute of {@link AgentTask}, never a piece of SQL. */
    public enum SortKey {
        ID("id"), STATE("state"), EXIT_STATUS("exitStatus"), PRIORITY("priority"), ITERATIONS("iterations"),
        TOKENS(null), NODE("nodeId"), CREATED("createdAt"), UPDATED("updatedAt");

        /** The entity attribute; null for tokens (prompt + completion). */
        final String attribute;

        SortKey(String attribute) {
            this.attribute = attribute;
        }

        /** The name in the query string: {@code exitStatus}, {@code updatedAt}, … */
        public String wireName() {
            return switch (this) {
                case EXIT_STATUS -> "exitStatus";
                case CREATED -> "createdAt";
                case UPDATED -> "updatedAt";
                default -> name().toLowerCase(Locale.ROOT);
            };
        }

        static SortKey ofWireName(String name) {
            for (SortKey k : values()) {
                if (k.wireName().equalsIgnoreCase(name)) {
                    return k;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (SortKey k : values()) {
                allowed.add(k.wireName());
            }
            throw ApiProblem.invalid("sort must be one of " + allowed + ", optionally prefixed with '-' for descending,"
                    + " got '" + name + "'");
        }
    }

    /** Every task, newest first: what {@code GET /api/tasks} always answered. */
    public static final TaskFilter NONE = new TaskFilter(Set.of(), Set.of(), Set.of(), null, null, TimeField.UPDATED,
            null, SortKey.ID, true);

    /**
     * Reads a filter from named values, each possibly repeated and each possibly a comma-separated list (what a query
     * string or a JSON object gives). Unknown names are ignored by this method; callers that must refuse them check
     * against {@link #NAMES}.
     */
    public static TaskFilter parse(Map<String, ? extends Collection<String>> values) {
        Set<TaskState> states = EnumSet.noneOf(TaskState.class);
        for (String s : items(values, "state")) {
            try {
                states.add(TaskState.valueOf(s.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.invalid("state must be one of " + List.of(TaskState.values()) + ", got '" + s + "'");
            }
        }
        Set<String> exits = new TreeSet<>();
        for (String x : items(values, "exitStatus")) {
            if (x.length() > 64) {
                throw ApiProblem.invalid("exitStatus is at most 64 characters");
            }
            exits.add(x.toUpperCase(Locale.ROOT));
        }
        Set<Integer> priorities = new TreeSet<>();
        for (String p : items(values, "priority")) {
            try {
                int value = Integer.parseInt(p);
                if (value < 0 || value > 9) {
                    throw new NumberFormatException();
                }
                priorities.add(value);
            } catch (NumberFormatException e) {
                throw ApiProblem.invalid("priority must be a number from 0 to 9, got '" + p + "'");
            }
        }
        Instant from = time(single(values, "from"), "from");
        Instant to = time(single(values, "to"), "to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiProblem.invalid("from (" + from + ") must be before to (" + to + ")");
        }
        String timeName = single(values, "time");
        TimeField time = TimeField.UPDATED;
        if (timeName != null) {
            try {
                time = TimeField.valueOf(timeName.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiProblem.invalid("time must be 'updated' or 'created', got '" + timeName + "'");
            }
        }
        String text = single(values, "q");
        if (text != null && text.length() > 200) {
            throw ApiProblem.invalid("q is at most 200 characters");
        }
        String sortName = single(values, "sort");
        SortKey sort = SortKey.ID;
        boolean descending = true;
        if (sortName != null) {
            descending = sortName.startsWith("-");
            sort = SortKey.ofWireName(descending ? sortName.substring(1) : sortName);
        }
        return new TaskFilter(states, exits, priorities, from, to, time, text, sort, descending);
    }

    /** The {@code LIKE} pattern for {@link #text}: lower case, with {@code \ % _} escaped by {@code \}. */
    public String likePattern() {
        if (text == null) {
            return null;
        }
        String escaped = text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + escaped + "%";
    }

    private static List<String> items(Map<String, ? extends Collection<String>> values, String name) {
        List<String> items = new ArrayList<>();
        Collection<String> raw = values.get(name);
        if (raw != null) {
            for (String v : raw) {
                if (v == null) {
                    continue;
                }
                for (String part : v.split(",")) {
                    if (!part.isBlank()) {
                        items.add(part.trim());
                    }
                }
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(items));
    }

    private static String single(Map<String, ? extends Collection<String>> values, String name) {
        Collection<String> raw = values.get(name);
        if (raw == null) {
            return null;
        }
        String found = null;
        for (String v : raw) {
            if (v != null && !v.isBlank()) {
                if (found != null) {
                    throw ApiProblem.invalid(name + " may be given once");
                }
                found = v.trim();
            }
        }
        return found;
    }

    /** An ISO-8601 instant, or a local date-time or date, read as UTC. */
    static Instant time(String value, String name) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDateTime.parse(value).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalid(name + " must be an ISO-8601 time (2026-11-29T07:00:00Z; without a zone it is UTC)"
                    + " or a date (2026-11-29), got '" + value + "'");
        }
    }
}
