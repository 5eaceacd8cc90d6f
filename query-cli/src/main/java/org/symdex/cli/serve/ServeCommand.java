package org.symdex.cli.serve;

import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.symdex.index.IndexException;
import org.symdex.index.IndexRef;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code symdex serve}: the nightly index as web pages and a JSON API (issue 18; docs/serve.md). */
@Command(name = "serve", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Serve an index read-only over HTTP: search and package, capability, soname, broken and "
                + "diff pages (server-rendered, working without JavaScript), and a JSON API, GET /api/v1/COMMAND, "
                + "answering as 'symdex COMMAND --format json' does. It follows the index's newest finished night "
                + "(looked up at most every 10 s) and never takes its write lock."},
        footer = {"", "Examples:",
                "  symdex serve --index nightly",
                "  symdex serve --index nightly --listen 127.0.0.1:0      # any free port; the first line says which",
                "  symdex serve --index nightly@-1 --listen '[::1]:8080'",
                "  curl -s 'http://127.0.0.1:8080/api/v1/whatrequires?cap=libssl.so.3&packages=true'",
                "",
                "The first line on stdout is 'symdex: serving DIR on http://HOST:PORT/'. SIGTERM or SIGINT: "
                        + "requests in flight are finished (within 5 s), exit 0.",
                "Exit codes: 0 stopped, 2 no index or a bad --listen, 70 internal error."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--index"}, paramLabel = "DIR[@REF]", defaultValue = "symdex-index",
            description = "The index (default: ./${DEFAULT-VALUE}); with @REF that night is served and never left.")
    String index;

    @Option(names = {"-l", "--listen"}, paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:8080",
            description = "Where to listen (default: ${DEFAULT-VALUE}); port 0 picks a free one; IPv6 as "
                    + "[::1]:8080. 0.0.0.0 answers every network: the API has no authentication.")
    String listen;

    @Option(names = "--allow-host", paramLabel = "NAME", description = "A Host header to answer besides the listen "
            + "address (and localhost on loopback): the name people reach this server by. Repeatable. Other Host "
            + "headers are refused, against DNS rebinding.")
    List<String> allowHosts = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
            description = "Worker threads answering requests (default: ${DEFAULT-VALUE}).")
    int threads;

    /** Graceful stop: what a request in flight gets to finish. */
    static final long GRACE_MILLIS = 5_000;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InetSocketAddress address = parseListen(listen);
        if (threads < 1 || threads > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads " + threads + ": 1 to 64");
        }
        IndexRef ref = IndexRef.parse(index);
        try (NightWatch watch = new NightWatch(ref)) {
            Server server = new Server(watch, index, allowHosts);
            HttpFront front;
            try {
                front = new HttpFront(address, server, threads, err);
            } catch (java.net.BindException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--listen " + listen + ": "
                        + e.getMessage());
            }
            // The address asked for with the port bound: a dual-stack JVM reports 0.0.0.0 as ::.
            InetSocketAddress bound = new InetSocketAddress(address.getAddress(), front.address().getPort());
            server.listening(bound);
            CountDownLatch stop = new CountDownLatch(1);
            onSignal("TERM", stop);
            onSignal("INT", stop);
            front.start();
            out.println("symdex: serving " + index + " on " + Server.origin(bound) + "/");
            out.flush();
            if (bound.getAddress().isAnyLocalAddress()) {
                err.println("symdex: serve: listening on every network (" + listen + "): the API and pages have no "
                        + "authentication; anyone who reaches this port reads the index. Host headers other than "
                        + "--allow-host names and this machine's addresses are refused.");
                err.flush();
            }
            stop.await();
            front.stop(GRACE_MILLIS);
            return 0;
        } catch (IndexException e) {
            throw e; // one line, exit 2 (Symdex.executionError)
        }
    }

    /** SIGTERM and SIGINT stop the server gracefully and exit 0, instead of the JVM's 128 + N. */
    private static void onSignal(String name, CountDownLatch stop) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> stop.countDown());
        } catch (IllegalArgumentException e) {
            // the signal is not available here (or already claimed): the JVM's default stays
        }
    }

    /** {@code HOST:PORT}, {@code [V6]:PORT}; the host an IP literal or a name that resolves here. */
    InetSocketAddress parseListen(String s) {
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) {
                throw bad(s, "an IPv6 address is written [ADDRESS]:PORT");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon <= 0 || s.indexOf(':') != colon) {
                throw bad(s, "HOST:PORT, or [ADDRESS]:PORT for IPv6");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw bad(s, "the port is not a number");
        }
        if (p < 0 || p > 65535) {
            throw bad(s, "the port is 0 to 65535");
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            if (s.startsWith("[") != a instanceof Inet6Address && !host.equals("localhost")) {
                throw bad(s, "an IPv6 address is written [ADDRESS]:PORT");
            }
            return new InetSocketAddress(a, p);
        } catch (UnknownHostException e) {
            throw bad(s, "unknown host '" + host + "'");
        }
    }

    private CommandLine.ParameterException bad(String value, String why) {
        return new CommandLine.ParameterException(spec.commandLine(), "--listen " + value + ": " + why);
    }
}
