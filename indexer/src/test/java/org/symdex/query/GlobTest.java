package org.symdex.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Globs as fnmatch(3) reads them without FNM_PATHNAME, plus {a,b}; errors name the position. */
class GlobTest {
    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "Debian/bookworm* | Debian/bookworm/main/amd64 | true", // '*' crosses '/'
            "Debian/bookworm* | Debian/bookworm-updates/main/amd64 | true",
            "Debian/bookworm* | Debian/trixie/main/amd64 | false",
            "*/main/* | Debian/trixie/main/amd64 | true",
            "libc.so.? | libc.so.6 | true",
            "libc.so.? | libc.so.66 | false",
            "lib[cm].so.6 | libm.so.6 | true",
            "lib[!cm].so.6 | libm.so.6 | false",
            "lib[!cm].so.6 | libz.so.6 | true",
            "lib[a-c].so | libb.so | true",
            "lib{foo,bar}.so.1 | libbar.so.1 | true",
            "lib{foo,bar}.so.1 | libbaz.so.1 | false",
            "a\\*b | a*b | true",
            "a\\*b | axb | false",
            "plain | plain | true",
            "(GLIBC_2.2.5) | (GLIBC_2.2.5) | true", // regex characters are literal
            "x.y | xzy | false",
    })
    void matches(String glob, String text, boolean match) {
        assertEquals(match, Glob.of(glob).matches(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "libc.so.[6 | bad glob 'libc.so.[6': '[' at 9 is not closed", // 1-based: l=1 ... '['=9
            "lib{a,b | bad glob 'lib{a,b': '{' at 4 is not closed",
            "a}b | bad glob 'a}b': '}' at 2 closes nothing",
            "x\\ | bad glob 'x\\': '\\' at 2 escapes nothing",
    })
    void malformedGlobsNameThePosition(String glob, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> Glob.of(glob)).getMessage());
    }
}
