package org.symdex.cap;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs rpm's own {@code /usr/lib/rpm/elfdeps}, the oracle. {@link #run} takes many files per process:
 * elfdeps prints the files' lists back to back, so a boundary file whose only output lines no real file
 * produces is passed between them (see resources/org/symdex/cap/README.md). {@link #one} runs it on a
 * single file and keeps the exit status, which tells "not ELF to libelf" (1) from "ELF, nothing to say" (0).
 * Public for the crafted-file tests of org.symdex.elf.
 */
public final class ElfdepsOracle {
    public static final Path ELFDEPS = Path.of("/usr/lib/rpm/elfdeps");
    private static final String BOUNDARY_P = "libsymdexboundary.so()(64bit)";
    private static final String BOUNDARY_R = "libsymdexboundary.so.0()(64bit)";
    private static final int BATCH = 150;

    private final Path boundary;

    /** elfdeps' raw output for one file (generation order, duplicates kept) and the exit status of each call. */
    public record Answer(List<String> provides, int providesExit, List<String> requires, int requiresExit) {
        public Answer {
            provides = List.copyOf(provides);
            requires = List.copyOf(requires);
        }
    }

    public ElfdepsOracle(Path tempDir) {
        try {
            boundary = tempDir.resolve("libsymdexboundary.so");
            try (InputStream in = ElfdepsOracle.class.getResourceAsStream("libsymdexboundary.so")) {
                Files.copy(in, boundary, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean available() {
        return Files.isExecutable(ELFDEPS);
    }

    /** elfdeps' raw lists for each file, in the order given: [provides, requires] per file. */
    public List<List<List<String>>> run(List<String> paths) {
        List<List<List<String>>> out = new ArrayList<>();
        for (int from = 0; from < paths.size(); from += BATCH) {
            List<String> batch = paths.subList(from, Math.min(paths.size(), from + BATCH));
            List<List<String>> p = split(call("-P", batch), BOUNDARY_P, batch.size());
            List<List<String>> r = split(call("-R", batch), BOUNDARY_R, batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(List.of(p.get(i), r.get(i)));
            }
        }
        return out;
    }

    /** elfdeps -P and -R on one file, as rpmfc runs it (one process per file and list, up to 4.19). */
    public static Answer one(Path file) {
        Output p = exec(List.of(ELFDEPS.toString(), "-P", file.toString()));
        Output r = exec(List.of(ELFDEPS.toString(), "-R", file.toString()));
        return new Answer(p.lines, p.exit, r.lines, r.exit);
    }

    private List<String> call(String flag, List<String> batch) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ELFDEPS.toString());
        cmd.add(flag);
        for (String f : batch) {
            cmd.add(f);
            cmd.add(boundary.toString());
        }
        return exec(cmd).lines;
    }

    private record Output(List<String> lines, int exit) {
    }

    private static Output exec(List<String> cmd) {
        try {
            Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] bytes = proc.getInputStream().readAllBytes();
            if (!proc.waitFor(60, TimeUnit.SECONDS)) {
                proc.destroyForcibly();
                throw new IllegalStateException("elfdeps did not finish: " + cmd);
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1);
            }
            return new Output(lines, proc.exitValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<List<String>> split(List<String> lines, String boundary, int files) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String l : lines) {
            if (l.equals(boundary)) {
                out.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(l);
            }
        }
        if (out.size() != files || !cur.isEmpty()) {
            throw new IllegalStateException("elfdeps output has " + out.size() + " boundaries for " + files + " files");
        }
        return out;
    }
}
