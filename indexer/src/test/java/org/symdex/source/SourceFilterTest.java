package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --package globs as fnmatch(3) reads them, and --section as a Debian archive writes sections. */
class SourceFilterTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "lib*, libfoo1, true",
        "lib*, xlibfoo1, false",
        "lib?oo1, libfoo1, true",
        "lib?oo1, libfooo1, false",
        "libfoo[0-9], libfoo1, true",
        "libfoo[0-9], libfoox, false",
        "libfoo[!0-9], libfoox, true",
        "libfoo[^0-9], libfoo1, false",
        "a[]]b, a]b, true",
        "a[-x]b, a-b, true",
        "a[abc, a[abc, true",
        "a\\*, a*, true",
        "a\\*, ab, false",
        "g++*, g++-12, true",
        "a.b, axb, false",
        "*, anything, true",
        "[ad]*, dpkg, true",
    })
    void globs(String glob, String name, boolean match) {
        assertEquals(match, new SourceFilter(List.of(), List.of(glob)).matches(SourceKind.DEB, name, ""), glob);
    }

    @Test
    void sectionsMatchWithOrWithoutTheArchiveArea() {
        SourceFilter f = new SourceFilter(List.of("libs"), List.of());
        assertTrue(f.matches(SourceKind.DEB, "x", "libs"));
        assertTrue(f.matches(SourceKind.DEB, "x", "non-free/libs"));
        assertFalse(f.matches(SourceKind.DEB, "x", "oldlibs"));
        assertFalse(f.matches(SourceKind.DEB, "x", ""));
        assertTrue(f.matches(SourceKind.RPM_MD, "x", ""), "rpm-md has no Section: --section does not restrict it");
    }

    @Test
    void bothListsMustPassAndEitherListMatchesAnyOfItsEntries() {
        SourceFilter f = new SourceFilter(List.of("libs", "utils"), List.of("lib*", "*app"));
        assertTrue(f.matches(SourceKind.DEB, "libfoo1", "libs"));
        assertTrue(f.matches(SourceKind.DEB, "fooapp", "utils"));
        assertFalse(f.matches(SourceKind.DEB, "fooapp", "devel"));
        assertFalse(f.matches(SourceKind.DEB, "foo", "libs"));
    }

    @Test
    void keyIsCanonical() {
        assertEquals(new SourceFilter(List.of("b", "a"), List.of("y*", "x*", "x*")).key(),
                new SourceFilter(List.of("a", "b"), List.of("x*", "y*")).key());
        assertNotEquals(SourceFilter.none().key(), new SourceFilter(List.of(), List.of("*")).key());
        assertEquals("section= package=", SourceFilter.none().key());
    }
}
