package org.symdex.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * C++ names for display (--demangle), by binutils' c++filt, run once per call with every name on its
 * stdin: Maven Central has no maintained Java demangler of the Itanium ABI (docs/decisions.md), and c++filt
 * is what readelf and nm users read. Only names that look mangled ({@code _Z...}, no newline) are sent; a
 * name c++filt leaves alone is shown as it is.
 */
final class Demangler {
    private Demangler() {
    }

    /** Mangled → demangled for those of {@code names} that c++filt changes. */
    static Map<String, String> demangle(List<String> names) throws IOException {
        List<String> mangled = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("_Z") && n.indexOf('\n') < 0 && n.indexOf('\r') < 0) {
                mangled.add(n);
            }
        }
        Map<String, String> out = new HashMap<>();
        if (mangled.isEmpty()) {
            return out;
        }
        Process p;
        try {
            p = new ProcessBuilder("c++filt").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IOException("needs c++filt (binutils), which could not be run: " + e.getMessage(), e);
        }
        // Written from another thread: c++filt answers line by line, and a pipe holds only 64 KiB each way.
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Writer w = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.ISO_8859_1)) {
                for (String n : mangled) {
                    w.write(n);
                    w.write('\n');
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<String> lines = new ArrayList<>(mangled.size());
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.ISO_8859_1))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        try {
            writer.join();
            int code = p.waitFor();
            if (code != 0 || lines.size() != mangled.size()) {
                throw new IOException("c++filt exited " + code + " with " + lines.size() + " lines for "
                        + mangled.size() + " names");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while c++filt ran", e);
        } catch (java.util.concurrent.CompletionException e) {
            throw new IOException("c++filt: " + e.getCause().getMessage(), e.getCause());
        }
        for (int i = 0; i < mangled.size(); i++) {
            if (!lines.get(i).equals(mangled.get(i))) {
                out.put(mangled.get(i), lines.get(i));
            }
        }
        return out;
    }
}
