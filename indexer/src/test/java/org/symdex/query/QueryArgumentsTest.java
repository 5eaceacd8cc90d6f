package org.symdex.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The small rules of the query side: PKG selectors, patterns, elfdeps shapes, declared names. */
class QueryArgumentsTest {
    @Test
    void selectorsTakeArchBeforeTheVersionBecauseVersionsHoldColons() {
        assertEquals(new PackageSelector("zlib1g", null, null), PackageSelector.parse("zlib1g"));
        assertEquals(new PackageSelector("zlib1g", "1:1.2.13.dfsg-1", null), PackageSelector.parse("zlib1g=1:1.2.13.dfsg-1"));
        assertEquals(new PackageSelector("libc6", null, "i386"), PackageSelector.parse("libc6:i386"));
        assertEquals(new PackageSelector("libc6", "2.36-9", "i386"), PackageSelector.parse("libc6:i386=2.36-9"));
        for (String bad : new String[] {"", "=1", ":amd64", "a:", "a=", "a:=1"}) {
            assertThrows(IllegalArgumentException.class, () -> PackageSelector.parse(bad), bad);
        }
    }

    @Test
    void aPatternIsAGlobOnlyWithAWildcard() {
        assertFalse(CapabilityPattern.of("libc.so.6(GLIBC_2.34)(64bit)").isGlob());
        assertTrue(CapabilityPattern.of("libcrypto.so.3(OPENSSL_3.0.*)(64bit)").isGlob());
        assertTrue(CapabilityPattern.of("libz.so.?").isGlob());
        assertThrows(IllegalArgumentException.class, () -> CapabilityPattern.of(""));
    }

    @Test
    void elfdepsShapedRequirementsAreJudged() {
        for (String yes : new String[] {"rtld(GNU_HASH)", "libc.so.6", "libc.so.6(GLIBC_2.0)", "libm.so.6()(64bit)",
                "libc.so.6(GLIBC_2.34)(64bit)", "ld-linux-x86-64.so.2(GLIBC_2.3)(64bit)", "libstdc++.so.6(CXXABI_1.3)"}) {
            assertTrue(org.symdex.cap.Satisfaction.isJudged(yes), yes);
        }
        for (String no : new String[] {"rpmlib(CompressedFileNames)", "/bin/sh", "bash", "perl(Foo::Bar)",
                "config(foo)", "libfoo1(x86-64)", "/usr/lib/libfoo.so.1"}) {
            assertFalse(org.symdex.cap.Satisfaction.isJudged(no), no);
        }
    }

    @Test
    void declaredNamesLoseTheirVersionBound() {
        assertEquals("libfoo1(x86-64)", CapabilityIndex.declaredName("libfoo1(x86-64) = 1.0-1"));
        assertEquals("rpmlib(FileDigests)", CapabilityIndex.declaredName("rpmlib(FileDigests) <= 4.6.0-1"));
        assertEquals("libfoo.so.1()(64bit)", CapabilityIndex.declaredName("libfoo.so.1()(64bit)"));
    }
}
