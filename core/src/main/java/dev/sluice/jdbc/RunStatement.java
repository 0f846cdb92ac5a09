package dev.sluice.jdbc;

import java.sql.SQLException;
import java.sql.SQLSyntaxErrorException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the statements that run the pipeline instead of reading: {@code CALL sluice_run('selection',
 * 'var=value', ...)} (also in JDBC's {@code {call ...}} escape, with {@code ?} for bound arguments) and
 * {@code sluice run [--select ...] [--exclude ...] [--var name=value] [--full-refresh]}.
 */
final class RunStatement {
    private static final Pattern CALL = Pattern.compile("(?is)\\s*\\{?\\s*call\\s+sluice_run\\s*\\((.*)\\)\\s*\\}?\\s*;?"
            + "\\s*");
    private static final Pattern COMMAND = Pattern.compile("(?is)\\s*sluice\\s+run(\\s.*)?;?\\s*");
    private static final Pattern ARGUMENT = Pattern.compile("\\s*(?:'((?:[^']|'')*)'|(\\?))\\s*(,|\\z)");

    private RunStatement() {
    }

    /** Whether {@code sql} asks for a run rather than a query. */
    static boolean isRun(String sql) {
        return CALL.matcher(sql).matches() || COMMAND.matcher(sql).matches();
    }

    /** The run {@code sql} asks for, its {@code ?} taken from {@code parameters} in order. */
    static RunRequest parse(String sql, List<Object> parameters) throws SQLException {
        Matcher call = CALL.matcher(sql);
        if (call.matches()) {
            return call(arguments(call.group(1), parameters));
        }
        Matcher command = COMMAND.matcher(sql);
        if (command.matches()) {
            String rest = command.group(1) == null ? "" : command.group(1).strip();
            return command(rest.isEmpty() ? List.of() : List.of(rest.replaceAll(";\\s*\\z", "").split("\\s+")));
        }
        throw new SQLSyntaxErrorException("Cannot run '" + sql + "': it is not CALL sluice_run(...) or sluice run",
                "42000");
    }

    private static List<String> arguments(String text, List<Object> parameters) throws SQLException {
        List<String> arguments = new ArrayList<>();
        Matcher argument = ARGUMENT.matcher(text);
        int at = 0;
        int bound = 0;
        while (at < text.length() && !text.substring(at).isBlank()) {
            if (!argument.find(at) || argument.start() != at) {
                throw usage("its arguments must be text literals in single quotes or ?, separated by commas; got '"
                        + text.strip() + "'");
            }
            if (argument.group(2) != null) {
                if (bound >= parameters.size() || parameters.get(bound) == null) {
                    throw new SQLException("Cannot run CALL sluice_run: parameter " + (bound + 1) + " is not set; "
                            + "call setString(" + (bound + 1) + ", ...) first", "07001");
                }
                arguments.add(parameters.get(bound++).toString());
            } else {
                arguments.add(argument.group(1).replace("''", "'"));
            }
            at = argument.end();
        }
        return arguments;
    }

    /** {@code CALL sluice_run('selection', 'var=value', ...)}: the first argument selects, the others set vars. */
    private static RunRequest call(List<String> arguments) throws SQLException {
        List<String> select = arguments.isEmpty() || arguments.get(0).isBlank() ? List.of()
                : List.of(arguments.get(0).strip().split("[\\s,]+"));
        Map<String, String> vars = new LinkedHashMap<>();
        for (String argument : arguments.subList(Math.min(1, arguments.size()), arguments.size())) {
            var(argument, vars);
        }
        return new RunRequest(select, List.of(), vars, false);
    }

    /** {@code sluice run} with the options of the command line that make sense on a connection's project. */
    private static RunRequest command(List<String> words) throws SQLException {
        List<String> select = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        Map<String, String> vars = new LinkedHashMap<>();
        boolean fullRefresh = false;
        List<String> into = null;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            switch (word.toLowerCase(Locale.ROOT)) {
                case "--select", "-s" -> into = select;
                case "--exclude" -> into = exclude;
                case "--full-refresh" -> {
                    fullRefresh = true;
                    into = null;
                }
                case "--var" -> {
                    if (i + 1 == words.size()) {
                        throw usage("--var needs name=value");
                    }
                    var(words.get(++i), vars);
                    into = null;
                }
                default -> {
                    if (into == null) {
                        throw usage("'" + word + "' is not an option of sluice run here; use --select, --exclude, "
                                + "--var name=value or --full-refresh (the project is the connection's)");
                    }
                    into.add(word);
                }
            }
        }
        return new RunRequest(select, exclude, vars, fullRefresh);
    }

    private static void var(String argument, Map<String, String> vars) throws SQLException {
        int equals = argument.indexOf('=');
        if (equals < 1) {
            throw usage("'" + argument + "' is not var=value");
        }
        vars.put(argument.substring(0, equals).strip(), argument.substring(equals + 1));
    }

    private static SQLException usage(String reason) {
        return new SQLSyntaxErrorException("Cannot run sluice_run: " + reason + "; for example CALL sluice_run("
                + "'orders+', 'min_amount=5')", "42000");
    }
}
