package org.symdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What a source line leaves unsaid and the machine or the command line supplies.
 *
 * @param hostArch the Debian architecture used when a deb line has no {@code arch=}
 * @param releasever {@code --releasever}, for {@code $releasever} in .repo files
 * @param basearch {@code --basearch}, for {@code $basearch} in .repo files and the rpm-md label
 */
public record SourceDefaults(String hostArch, Optional<String> releasever, Optional<String> basearch) {

    /** The architecture assumed when dpkg cannot tell (issue: "else amd64"). */
    public static final String FALLBACK_ARCH = "amd64";

    public SourceDefaults {
        Objects.requireNonNull(hostArch, "hostArch");
        Objects.requireNonNull(releasever, "releasever");
        Objects.requireNonNull(basearch, "basearch");
        if (hostArch.isEmpty() || hostArch.chars().anyMatch(c -> c <= ' ' || c == ',' || c == '/')) {
            throw new IllegalArgumentException("bad host architecture '" + hostArch + "'");
        }
    }

    /** Host architecture {@code arch}, no releasever or basearch. */
    public static SourceDefaults of(String arch) {
        return new SourceDefaults(arch, Optional.empty(), Optional.empty());
    }

    /** The host's architecture from {@code dpkg --print-architecture}, else {@value #FALLBACK_ARCH}. */
    public static SourceDefaults detect(Optional<String> releasever, Optional<String> basearch) {
        return new SourceDefaults(hostArchitecture(), releasever, basearch);
    }

    /**
     * apt itself asks dpkg (apt-pkg/aptconfiguration.cc getArchitectures); on an rpm machine or when
     * dpkg hangs, amd64. Bounded to 5 s so a broken dpkg cannot stall a run.
     */
    static String hostArchitecture() {
        try {
            Process p = new ProcessBuilder("dpkg", "--print-architecture")
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(256), StandardCharsets.US_ASCII).trim();
            }
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return FALLBACK_ARCH;
            }
            if (p.exitValue() == 0 && out.matches("[a-z0-9][a-z0-9-]*")) {
                return out;
            }
        } catch (IOException e) {
            // no dpkg on this machine: the fallback below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return FALLBACK_ARCH;
    }
}
