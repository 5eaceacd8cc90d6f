package org.symdex.cap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one rule of which provide satisfies which requirement, as a table. */
class SatisfactionTest {
    @ParameterizedTest(name = "provide in {0} satisfies requirement in {1}: {2}")
    @CsvSource({
            "x86-64/64, x86-64/64, true",
            "x86-64/64, i386/32, false", // amd64's lib32 files are another scope
            "x86-64/32, x86-64/64, false", // x32 is not x86-64
            "s390/64, x86-64/64, false", // the same strings in another machine
            "any, x86-64/64, true", // a noarch rpm's declared provide
            "any, s390/64, true",
            "x86-64/64, any, true", // a noarch rpm's declared requirement
            "i386/32, any, true",
            "any, any, true",
            "arch:sparc, x86-64/64, false", // an unknown arch's declared provide matches no ELF scope
            "arch:sparc, arch:sparc, true",
            "x86-64/64, arch:sparc, false",
    })
    void scopes(String provider, String requirement, boolean satisfied) {
        assertEquals(satisfied, Satisfaction.satisfies(provider, requirement));
        if (!requirement.equals(Satisfaction.ANY)) {
            assertEquals(satisfied, Satisfaction.providerScopes(requirement).contains(provider));
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "amd64, x86-64/64", "x86_64, x86-64/64", "i386, i386/32", "i686, i386/32", "x32, x86-64/32",
            "arm64, aarch64/64", "armhf, arm/32", "s390x, s390/64", "ppc64el, ppc64/64",
            "all, any", "noarch, any", "NOARCH, any", "sparc64, arch:sparc64",
    })
    void declaredScopes(String arch, String scope) {
        assertEquals(scope, Satisfaction.declaredScope(arch));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "ld-linux-x86-64.so.2()(64bit) ld-linux-x86-64.so.2(GLIBC_2.3)(64bit) | true",
            "ld-linux.so.2 ld-linux.so.2(GLIBC_2.1) | true", // i386
            "ld64.so.2()(64bit) | true", // ppc64, s390x
            "ld.so.1 | true", // mips, s390 32-bit
            "ld-linux-aarch64.so.1()(64bit) | true",
            "libc.so.6()(64bit) libc.so.6(GLIBC_2.34)(64bit) | false",
            "libld.so.1()(64bit) | false", // a library whose name merely contains ld
            "ldap.so.2()(64bit) | false",
            "ld-linux-x86-64.so.2()(64bit) rtld(GNU_HASH) | false", // already provides it
            "'' | false",
    })
    void theLoaderProvidesRtldGnuHash(String provides, boolean rtld) {
        List<String> caps = provides.isEmpty() ? List.of() : List.of(provides.split(" "));
        assertEquals(rtld, Satisfaction.providesRtld(caps));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "libfoo.so.1, /usr/lib/libfoo.so.1.2.3, libfoo.so.1",
            "'', /usr/lib/libplugin.so, libplugin.so", // an empty DT_SONAME: the base name, as ld.so
            ", /usr/lib/libplugin.so, libplugin.so",
            ", plugin.so, plugin.so",
    })
    void lookupNames(String soname, String path, String name) {
        assertEquals(name, Satisfaction.lookupName(soname, path));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "libc.so.6, GLIBC_2.34, x86-64/64, libc.so.6(GLIBC_2.34)(64bit)",
            "libc.so.6, GLIBC_2.0, i386/32, libc.so.6(GLIBC_2.0)",
            "libc.so.6.1, GLIBC_2.0, alpha/64, libc.so.6.1(GLIBC_2.0)", // alpha never had the marker
    })
    void versionCapabilities(String soname, String version, String scope, String cap) {
        assertEquals(cap, Satisfaction.versionCapability(soname, version, Scope.parse(scope)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "libc.so.6, true", "libc.so.6(GLIBC_2.0), true", "libm.so.6()(64bit), true",
            "rtld(GNU_HASH), true", "libfoo.so.1(LIBFOO_1.0)(64bit), true",
            "rpmlib(PayloadIsZstd), false", "/bin/sh, false", "perl(strict), false", "glibc, false",
            "libfoo.so.1 >= 1.0, false",
    })
    void judgedDeclaredRequirements(String requirement, boolean judged) {
        assertEquals(judged, Satisfaction.isJudged(requirement));
    }
}
