package org.symdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.symdex.elf.ElfFile;
import org.symdex.pkg.Codec;
import org.symdex.pkg.Dependency;
import org.symdex.pkg.PackageFormat;
import org.symdex.pkg.PackageInfo;
import org.symdex.report.ScanFacts;

class SchemaTest {
    @Test
    void archScopes() {
        assertEquals("x86-64/64", Schema.scopeOfArch("x86_64"));
        assertEquals("x86-64/64", Schema.scopeOfArch("amd64"));
        assertEquals("i386/32", Schema.scopeOfArch("i686"));
        assertEquals("x86-64/32", Schema.scopeOfArch("x32"));
        assertEquals(Schema.SCOPE_ANY, Schema.scopeOfArch("noarch"));
        assertEquals(Schema.SCOPE_ANY, Schema.scopeOfArch("all"));
        assertEquals("arch:vax", Schema.scopeOfArch("vax"));
        assertEquals("prov:x86-64/64", Schema.scoped(Schema.PROV, "x86-64/64"));
        assertEquals(Optional.of("i386/32"), Schema.scopeOfField(Schema.REQ, "req:i386/32"));
        assertEquals(Optional.empty(), Schema.scopeOfField(Schema.REQ, "prov:i386/32"));
    }

    @Test
    void rtldLoaderSonames() {
        assertTrue(Schema.isRtldSonameProvide("ld-linux-x86-64.so.2()(64bit)"));
        assertTrue(Schema.isRtldSonameProvide("ld-linux.so.2(GLIBC_2.1)"));
        assertTrue(Schema.isRtldSonameProvide("ld64.so.2()(64bit)"));
        assertTrue(Schema.isRtldSonameProvide("ld.so.1"));
        assertFalse(Schema.isRtldSonameProvide("libld.so.1()(64bit)"));
        assertFalse(Schema.isRtldSonameProvide("ldap.so.2()(64bit)"));
    }

    @Test
    void sourceNamesAgreeWithTheReports() {
        for (PackageInfo info : List.of(
                info(PackageFormat.DEB, "libfoo1", Optional.of("foo (1.2-3)")),
                info(PackageFormat.DEB, "libfoo1", Optional.of("foo")),
                info(PackageFormat.RPM, "foo-libs", Optional.of("foo-1.2-3.fc40.src.rpm")),
                info(PackageFormat.RPM, "bar", Optional.of("bar-baz-0.1-1.nosrc.rpm")))) {
            assertEquals(ScanFacts.sourceName(info), Schema.sourceName(info), info.toString());
        }
        assertEquals("foo", Schema.sourceName(info(PackageFormat.DEB, "libfoo1", Optional.of("foo (1.2-3)"))));
        assertEquals("foo", Schema.sourceName(info(PackageFormat.RPM, "x", Optional.of("foo-1.2-3.fc40.src.rpm"))));
    }

    @Test
    void rpmDependencyFormatIsRpmQp() {
        assertEquals("rpmlib(CompressedFileNames) <= 3.0.4-1", DocumentMapper.rpmFormat(
                new Dependency("rpmlib(CompressedFileNames)", (1 << 24) | Dependency.LESS | Dependency.EQUAL, "3.0.4-1")));
        assertEquals("foo = 1.0-1", DocumentMapper.rpmFormat(new Dependency("foo", Dependency.EQUAL, "1.0-1")));
        assertEquals("libc.so.6()(64bit)", DocumentMapper.rpmFormat(new Dependency("libc.so.6()(64bit)", 1 << 14, "")));
        assertEquals("bar > 2", DocumentMapper.rpmFormat(new Dependency("bar", Dependency.GREATER, "2")));
    }

    @Test
    void symbolTableRoundTripsAndRefusesGarbage() throws Exception {
        ElfFile elf;
        try (InputStream in = SchemaTest.class.getResourceAsStream("/org/symdex/elf/libmal.so.1")) {
            elf = ElfFile.parse(ByteBuffer.wrap(in.readAllBytes()));
        }
        List<SymbolTable.Symbol> table = SymbolTable.of(elf);
        byte[] enc = SymbolTable.encode(table);
        assertEquals(table, SymbolTable.decode(enc, 0, enc.length));
        assertEquals(List.of("mal_three@@MAL_2.0", "MAL_2.0@@MAL_2.0"),
                table.stream().filter(SymbolTable.Symbol::defined).limit(2).map(SymbolTable.Symbol::versionedName).toList());
        assertThrows(IndexException.class, () -> SymbolTable.decode(enc, 0, enc.length - 1));
        assertThrows(IndexException.class, () -> SymbolTable.decode(new byte[] {9}, 0, 1));
    }

    private static PackageInfo info(PackageFormat format, String name, Optional<String> source) {
        return new PackageInfo(format, name, Optional.empty(), "1.0", "1", "amd64", source, Optional.empty(), -1,
                Codec.NONE, List.<Dependency>of(), List.<Dependency>of());
    }
}
