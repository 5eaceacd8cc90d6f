package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One package per checksum and size, labels merged and shared, and a cap instead of an exhausted heap. */
class PackageCollectorTest {
    private static final URI BASE = URI.create("file:/r/");

    private static ListedPackage pkg(String name, char hex, long size, List<String> labels) {
        return new ListedPackage(name, "1", "amd64", name, "", BASE, "pool/" + name + ".deb", size,
                Checksum.sha256(String.valueOf(hex).repeat(64)), labels);
    }

    @Test
    void sameBytesMergeLabelsOtherSizesStayApart() throws SourceException {
        PackageCollector c = new PackageCollector(10);
        List<String> a = c.labels(List.of("o/s/main/amd64"));
        List<String> b = c.labels(List.of("o/s/main/s390x"));
        c.add(pkg("x", 'a', 10, a));
        c.add(pkg("x", 'a', 10, b));
        c.add(pkg("x", 'a', 10, a));
        c.add(pkg("x", 'a', 11, a));
        List<ListedPackage> ps = c.packages();
        assertEquals(2, ps.size());
        assertEquals(List.of("o/s/main/amd64", "o/s/main/s390x"), ps.get(0).labels());
        assertEquals(a, ps.get(1).labels());
        c.add(pkg("y", 'b', 10, a));
        c.add(pkg("y", 'b', 10, b));
        assertSame(c.packages().get(0).labels(), c.packages().get(2).labels(), "label lists are shared");
    }

    @Test
    void moreThanTheCapFailsTheSource() throws SourceException {
        PackageCollector c = new PackageCollector(2);
        c.readingFrom("file:/r/Packages");
        List<String> l = c.labels(List.of("o/s/c/a"));
        c.add(pkg("x", 'a', 1, l));
        c.add(pkg("y", 'b', 1, l));
        SourceException e = assertThrows(SourceException.class, () -> c.add(pkg("z", 'c', 1, l)));
        assertEquals("file:/r/Packages: lists more than 2 packages; refused (SourceReader.MAX_PACKAGES_PER_SOURCE)",
                e.getMessage());
    }
}
