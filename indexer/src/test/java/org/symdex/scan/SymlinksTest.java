package org.symdex.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 16 item 3: which symlinks of a package end at which of its ELF files, and merged-/usr twins. */
class SymlinksTest {
    @Test
    void relativeAbsoluteChainedAndTwinnedLinksEndAtTheirFile() {
        Set<String> files = Set.of("/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        Map<String, String> links = Map.of(
                "/usr/lib/x86_64-linux-gnu/libz.so.1", "libz.so.1.2.13",                  // the soname link
                "/usr/lib/x86_64-linux-gnu/libz.so", "libz.so.1",                         // a chain
                "/usr/lib/x86_64-linux-gnu/libz.so.x", "./../x86_64-linux-gnu/libz.so.1.2.13",
                "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", // a merged-/usr twin
                "/usr/lib/loop-a", "loop-b", "/usr/lib/loop-b", "loop-a",                  // a loop ends nowhere
                "/usr/lib/elsewhere.so.1", "/usr/lib/not-in-this-package.so.1",
                "/usr/lib/up", "../../../../lib/x86_64-linux-gnu/libz.so.1.2.13");
        assertEquals(Map.of(
                "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13", List.of("/usr/lib/up", "/usr/lib/x86_64-linux-gnu/libz.so",
                        "/usr/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.x"),
                "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", List.of("/lib64/ld-linux-x86-64.so.2")),
                Symlinks.resolve(links, files::contains));
    }

    @Test
    void twinsAreBinSbinAndLibDirectoriesOnly() {
        assertEquals("/usr/lib/x86_64-linux-gnu/libz.so.1", MergedUsr.twin("/lib/x86_64-linux-gnu/libz.so.1"));
        assertEquals("/lib64/ld-linux-x86-64.so.2", MergedUsr.twin("/usr/lib64/ld-linux-x86-64.so.2"));
        assertEquals("/usr/bin/ls", MergedUsr.twin("/bin/ls"));
        assertEquals("/sbin/ldconfig", MergedUsr.twin("/usr/sbin/ldconfig"));
        assertEquals("/usr/libx32/libc.so.6", MergedUsr.twin("/libx32/libc.so.6"));
        assertNull(MergedUsr.twin("/usr/share/foo"));
        assertNull(MergedUsr.twin("/opt/lib/foo"));
        assertNull(MergedUsr.twin("/usr/local/lib/foo"));
        assertNull(MergedUsr.twin("/bin"));
    }
}
