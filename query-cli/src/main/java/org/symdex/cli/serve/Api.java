package org.symdex.cli.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.DirectoryReader;
import org.symdex.cli.Symdex;
import org.symdex.index.IndexException;
import org.symdex.index.IndexSnapshot;
import org.symdex.index.Nights;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code GET /api/v1/COMMAND?...} (issue 18, item 2): the parameters become the command's arguments and
 * the command itself runs in-process on the request's night, {@code --index DIR@GENERATION --format json},
 * writing to a StringWriter; its document is the body (one code path with the CLI). Parameters are the
 * long options' names without dashes, booleans {@code true}/{@code false}; positionals {@code cap},
 * {@code symbol}, {@code package}, and diff's {@code old}/{@code new} REFs; {@code at=REF} picks the night.
 * Over {@link #WHOLE} results, or with {@code limit}/{@code offset}, {@code results} is sliced and
 * {@code page} added.
 */
final class Api {
    static final int WHOLE = 10_000;
    static final int MAX_LIMIT = 1_000;
    /**
     * The longest answer a command may write, in bytes: 32 MiB. The libs section's largest ordinary answers
     * are a few MB (whatrequires of libc.so.6(GLIBC_2.14)(64bit): 4.5 MB); its every-requirement answer is
     * 108 MB, which with its copies (text, bytes, the socket's buffer) four workers could not hold in 512 MB.
     */
    static final int MAX_ANSWER = 32 << 20;

    /** The commands offered, each with the name of its positional parameter (null: none; diff: old/new). */
    static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("whatprovides", "cap");
        COMMANDS.put("whatrequires", "cap");
        COMMANDS.put("whatimports", "symbol");
        COMMANDS.put("whatexports", "symbol");
        COMMANDS.put("provides", "package");
        COMMANDS.put("requires", "package");
        COMMANDS.put("broken", null);
        COMMANDS.put("why", "package");
        COMMANDS.put("info", null);
        COMMANDS.put("failures", null);
        COMMANDS.put("diff", null);
    }

    /** Options no request sets: the server chooses the index and the format; help and version are not answers. */
    private static final Set<String> FIXED = Set.of("index", "format", "help", "version", "verbose");
    /** Options whose value names an index: only a REF of the served one is taken. */
    private static final Set<String> INDEX_VALUED = Set.of("only-new");
    /** Parameters of the server itself. */
    static final Set<String> SERVER_PARAMS = Set.of("at", "limit", "offset");

    private final NightWatch watch;
    private final Map<String, Map<String, OptionSpec>> options = new HashMap<>();

    Api(NightWatch watch) {
        this.watch = watch;
        for (String c : COMMANDS.keySet()) {
            CommandSpec spec = Symdex.newCommandLine(c).getSubcommands().get(c).getCommandSpec();
            Map<String, OptionSpec> byName = new LinkedHashMap<>();
            for (OptionSpec o : spec.options()) {
                String name = o.longestName().replaceFirst("^-+", "");
                if (!FIXED.contains(name) && o.longestName().startsWith("--")) {
                    byName.put(name, o);
                }
            }
            options.put(c, byName);
        }
    }

    /** One answer of a command: exit code, stdout, stderr, the night; tooLarge when stdout went over {@link #MAX_ANSWER}. */
    record Run(int exit, String out, String err, Nights.Night night, boolean tooLarge) {
    }

    /** What a request over {@link #MAX_ANSWER} is told. */
    static String tooLarge(String command) {
        return command + ": the answer is over " + (MAX_ANSWER >> 20) + " MiB; narrow the question (a longer glob, "
                + "label, arch, packages=true); limit and offset slice an answer, they do not shrink its making";
    }

    HttpFront.Response handle(Query q) {
        List<String> seg = q.segments();
        if (seg.size() != 3 || !seg.get(0).equals("api") || !seg.get(1).equals("v1")) {
            return error(404, "", 2, "no such API path: GET /api/v1/COMMAND?PARAMETERS, COMMAND one of "
                    + String.join(", ", COMMANDS.keySet()));
        }
        String command = seg.get(2);
        if (!COMMANDS.containsKey(command)) {
            return error(404, "", 2, "no such command '" + command + "'; the API answers " + String.join(", ", COMMANDS.keySet()));
        }
        Integer limit;
        int offset;
        List<String> args;
        Nights.Night night;
        try {
            limit = number(q.one("limit"), "limit", 1, MAX_LIMIT);
            Integer o = number(q.one("offset"), "offset", 0, Integer.MAX_VALUE);
            offset = o == null ? 0 : o;
            night = Server.night(watch, q);
            args = arguments(command, q, night);
        } catch (Server.NoNight e) {
            return error(503, command, 2, e.getMessage());
        } catch (IOException e) {
            return error(503, command, 2, watch.dir() + ": cannot read index: " + e.getMessage());
        } catch (IllegalArgumentException | IndexException e) {
            return error(400, command, 2, e.getMessage());
        }
        String unreadable = readable(night);
        if (unreadable != null) {
            return error(503, command, 2, unreadable);
        }
        Run run = run(args, night);
        if (run.tooLarge()) {
            return HttpFront.Response.of(503, "application/json",
                    envelope(command, tooLarge(command)).getBytes(StandardCharsets.ISO_8859_1))
                    .with("Symdex-Night", Long.toString(night.generation()));
        }
        int status = switch (run.exit()) {
            case 0, 1 -> 200;
            case 2 -> 400;
            default -> 500;
        };
        String body = run.out();
        if (body.isEmpty()) {
            // Said only on stderr (diff's first night): the message as the envelope's error, or an empty answer.
            String line = run.err().lines().findFirst().orElse("").replaceFirst("^symdex: ", "");
            body = run.exit() == 0 ? envelope(command, null) : envelope(command, line.isEmpty() ? "internal error" : line);
        } else if (status == 200) {
            boolean paged = limit != null || q.one("offset") != null;
            int total = JsonSlice.count(body);
            if (paged || total > WHOLE) {
                int l = limit == null ? MAX_LIMIT : limit;
                body = JsonSlice.slice(body, offset, l, total);
            }
        }
        return HttpFront.Response.of(status, "application/json", body.getBytes(StandardCharsets.ISO_8859_1))
                .with("Symdex-Exit", Integer.toString(run.exit()))
                .with("Symdex-Night", Long.toString(night.generation()));
    }

    /**
     * The command's arguments for a request: {@code COMMAND --index DIR@GEN --format json OPTIONS -- POSITIONALS}.
     * An unknown parameter, a boolean other than true/false, or a REF that names no kept night is an
     * IllegalArgumentException (400).
     */
    List<String> arguments(String command, Query q, Nights.Night night) throws IOException, IndexException {
        Map<String, OptionSpec> opts = options.get(command);
        String positional = COMMANDS.get(command);
        List<String> args = new ArrayList<>(List.of(command));
        if (!command.equals("diff")) {
            args.add("--index");
            args.add(watch.dir() + "@" + night.generation());
        }
        args.add("--format");
        args.add("json");
        List<String> tail = new ArrayList<>();
        for (Map.Entry<String, List<String>> p : q.params().entrySet()) {
            String name = p.getKey();
            if (SERVER_PARAMS.contains(name)) {
                continue;
            }
            if (command.equals("diff") && (name.equals("old") || name.equals("new"))) {
                continue;
            }
            if (name.equals(positional)) {
                tail.addAll(p.getValue());
                continue;
            }
            OptionSpec o = opts.get(name);
            if (o == null) {
                List<String> known = new ArrayList<>(opts.keySet());
                if (positional != null) {
                    known.add(positional);
                }
                if (command.equals("diff")) {
                    known.addAll(List.of("old", "new"));
                }
                known.addAll(SERVER_PARAMS);
                throw new IllegalArgumentException("unknown parameter '" + name + "' for " + command + " (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
            boolean flag = o.arity().max() == 0;
            if (!flag && !o.isMultiValue() && p.getValue().size() > 1) {
                throw new IllegalArgumentException("parameter '" + name + "' is given " + p.getValue().size() + " times");
            }
            for (String v : p.getValue()) {
                if (flag) {
                    if (v.equals("true")) {
                        args.add(o.longestName());
                    } else if (!v.equals("false")) {
                        throw new IllegalArgumentException("parameter '" + name + "' is true or false, not '" + v + "'");
                    }
                } else if (INDEX_VALUED.contains(name)) {
                    args.add(o.longestName() + "=" + ref(v, night));
                } else {
                    args.add(o.longestName() + "=" + v);
                }
            }
        }
        if (command.equals("diff")) {
            String newRef = q.one("new");
            String oldRef = q.one("old");
            Nights.Night now = newRef == null ? night : watch.resolve(newRef, night).orElseThrow(() ->
                    new IllegalArgumentException("new=" + newRef + ": no kept night matches"));
            String old = ref(oldRef == null ? "-1" : oldRef, now);
            tail.add(old);
            tail.add(watch.dir() + "@" + now.generation());
        }
        if (!tail.isEmpty()) {
            args.add("--");
            args.addAll(tail);
        }
        return args;
    }

    /** {@code DIR@GEN} for a REF of the served index, counted from {@code base}. */
    private String ref(String ref, Nights.Night base) throws IOException, IndexException {
        return watch.dir() + "@" + watch.resolve(ref, base).orElseThrow(() -> new IllegalArgumentException(
                "'" + ref + "': no kept night of " + watch.dir() + " matches")).generation();
    }

    /** Why the night cannot be read (another version, gone), or null. */
    private String readable(Nights.Night night) {
        try {
            IndexSnapshot.checkVersion(watch.dir(), night.commit().getUserData());
            DirectoryReader r = watch.borrow(watch.dir(), night.generation());
            if (r == null) {
                return watch.dir() + "@" + night.generation() + ": that night is no longer kept";
            }
            r.decRef();
            return null;
        } catch (IOException e) {
            return watch.dir() + ": cannot read index: " + e.getMessage();
        } catch (IndexException e) {
            return e.getMessage();
        }
    }

    /** Runs one command in-process, lending the watch's readers to it. */
    Run run(List<String> args, Nights.Night night) {
        AnswerWriter out = new AnswerWriter(MAX_ANSWER);
        StringWriter err = new StringWriter();
        int code = IndexSnapshot.sharing(watch, () -> {
            CommandLine cl = Symdex.newCommandLine(args.toArray(String[]::new));
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            int c = cl.execute(args.toArray(String[]::new));
            cl.getOut().flush();
            cl.getErr().flush();
            return c;
        });
        return out.overflowed() ? new Run(code, "", err.toString(), night, true)
                : new Run(code, out.toString(), err.toString(), night, false);
    }

    private static Integer number(String v, String name, int min, int max) {
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + "=" + v + ": " + min + " to " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + v + ": not a number");
        }
    }

    /** The CLI's error envelope (docs/json-schema.md, "Errors"), for what the server refuses itself. */
    static HttpFront.Response error(int status, String command, int exit, String reason) {
        return HttpFront.Response.of(status, "application/json", envelope(command, reason).getBytes(StandardCharsets.ISO_8859_1))
                .with("Symdex-Exit", Integer.toString(exit));
    }

    static String envelope(String command, String reason) {
        StringBuilder sb = new StringBuilder("{\"schema\":\"symdex/1\",\"command\":");
        JsonSlice.string(sb, command);
        sb.append(",\"results\":[],\"errors\":[");
        if (reason != null) {
            sb.append("{\"source\":\"\",\"reason\":");
            JsonSlice.string(sb, reason);
            sb.append('}');
        }
        return sb.append("]}").toString();
    }
}
