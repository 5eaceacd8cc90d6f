package org.symdex.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs the real command line in-process, capturing what a user would see. */
final class CliTestSupport {
    private CliTestSupport() {
    }

    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        var cl = Symdex.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(Symdex.errWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The repository root: surefire passes it; otherwise walk up to the directory holding fixtures/. */
    static Path root() {
        String p = System.getProperty("symdex.root");
        if (p != null && Files.isDirectory(Path.of(p, "fixtures"))) {
            return Path.of(p);
        }
        Path d = Path.of("").toAbsolutePath();
        while (d != null && !Files.isDirectory(d.resolve("fixtures"))) {
            d = d.getParent();
        }
        return d == null ? Path.of("").toAbsolutePath() : d;
    }
}
