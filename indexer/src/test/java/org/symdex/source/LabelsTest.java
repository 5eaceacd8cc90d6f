package org.symdex.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Labels exactly as the issue spells them (item 3). */
class LabelsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "main|main",
        "main/debian-installer|main%2Fdebian-installer",
        "a,b|a%2Cb",
        "\"a b\"|a%20b",
        "100%|100%25",
        "*?[]{}\\|%2A%3F%5B%5D%7B%7D%5C",
        "~!$&'()+;=:@|~!$&'()+;=:@",
        "é|%C3%A9",
    })
    void segmentsArePercentEncoded(String in, String out) {
        assertEquals(out, Labels.encode(in));
    }

    @Test
    void controlAndDeleteBytesAreEncoded() {
        assertEquals("%01%09%7F", Labels.encode("\u0001\t\u007f"));
    }

    @ParameterizedTest(name = "Suite {0}, Codename {1} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "stable|bookworm|bookworm|bookworm",
        "stable-updates|bookworm-updates|bookworm-updates|bookworm-updates",
        "stable-security|bookworm-security|bookworm-security|bookworm-security",
        "noble-updates|noble|noble-updates|noble-updates",
        "noble|noble|noble|noble",
        "noble-security|noble|noble-security|noble-security",
        "sid||sid|sid",
        "|trixie|x|trixie",
        "||./|.",
        "||sub/dir/|sub/dir",
    })
    void suiteIsCodenameUnlessSuiteExtendsIt(String suite, String codename, String line, String expected) {
        assertEquals(expected, Labels.debianSuite(Optional.ofNullable(suite), Optional.ofNullable(codename), line));
    }

    @Test
    void originFallsBackToHostThenLocal() {
        assertEquals("Debian", Labels.debianOrigin(Optional.of("Debian"), URI.create("file:/srv/x/")));
        assertEquals("deb.debian.org", Labels.debianOrigin(Optional.empty(), URI.create("http://deb.debian.org/debian/")));
        assertEquals("local", Labels.debianOrigin(Optional.empty(), URI.create("file:/srv/x/")));
    }

    @Test
    void debianAndRpmLabels() {
        assertEquals("Debian/bookworm/main/amd64", Labels.debian("Debian", "bookworm", "main", "amd64"));
        assertEquals("My%20Repo/noble-updates/-/all", Labels.debian("My Repo", "noble-updates", "-", "all"));
        assertEquals("fedora/x86_64", Labels.rpm("fedora", Optional.of("x86_64")));
        assertEquals("updates%2Ctesting", Labels.rpm("updates,testing", Optional.empty()));
    }
}
