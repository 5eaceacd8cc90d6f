package org.symdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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

    /** In-place lookups answer exactly what a full decode filtered by name does, on the real libc too. */
    @Test
    void packedTableFindsDefinitionsByNameAsAFullDecodeDoes() throws Exception {
        List<List<SymbolTable.Symbol>> tables = new ArrayList<>();
        try (InputStream in = SchemaTest.class.getResourceAsStream("/org/symdex/elf/libmal.so.1")) {
            tables.add(SymbolTable.of(ElfFile.parse(ByteBuffer.wrap(in.readAllBytes()))));
        }
        Path libc = Path.of("/usr/lib/x86_64-linux-gnu/libc.so.6");
        if (Files.isRegularFile(libc)) {
            tables.add(SymbolTable.of(ElfFile.parse(ByteBuffer.wrap(Files.readAllBytes(libc)))));
        }
        // "Aa" and "BB" share String.hashCode, so they share a probe chain; "f" is defined twice and imported.
        tables.add(List.of(
                new SymbolTable.Symbol(true, "Aa", "V1", 2, false, 1, 2, ""),
                new SymbolTable.Symbol(false, "f", "V1", 3, false, 1, 2, "libx.so.1"),
                new SymbolTable.Symbol(true, "BB", "", 1, false, 2, 2, ""),
                new SymbolTable.Symbol(true, "f", "V1", 2, true, 1, 2, ""),
                new SymbolTable.Symbol(true, "f", "V2", 4, false, 1, 2, ""),
                new SymbolTable.Symbol(true, "Aa", "V2", 4, false, 1, 2, "")));
        for (List<SymbolTable.Symbol> table : tables) {
            byte[] enc = SymbolTable.encode(table);
            byte[] shifted = new byte[enc.length + 7];
            System.arraycopy(enc, 0, shifted, 5, enc.length);
            SymbolTable.Packed packed = SymbolTable.Packed.of(shifted, 5, enc.length);
            assertEquals(table, packed.all());
            assertEquals(table.stream().filter(SymbolTable.Symbol::defined).toList(), packed.all(true));
            assertEquals(table.stream().filter(x -> !x.defined()).toList(), packed.all(false));
            Set<String> names = new TreeSet<>();
            table.forEach(x -> names.add(x.name()));
            names.add("no_such_symbol");
            for (String name : names) {
                assertEquals(table.stream().filter(x -> x.defined() && x.name().equals(name)).toList(),
                        packed.defined(name), name);
            }
        }
        assertEquals(2, SymbolTable.Packed.of(SymbolTable.encode(tables.get(tables.size() - 1)), 0,
                SymbolTable.encode(tables.get(tables.size() - 1)).length).defined("Aa").size());
        byte[] enc = SymbolTable.encode(tables.get(0));
        assertThrows(IndexException.class, () -> SymbolTable.Packed.of(enc, 0, enc.length - 1).defined("x"));
        assertThrows(IndexException.class, () -> SymbolTable.Packed.of(enc, 0, enc.length - 1).all(false));
        assertThrows(IndexException.class, () -> SymbolTable.Packed.of(enc, 0, enc.length - 1).count(true));
        assertThrows(IndexException.class, () -> SymbolTable.Packed.of(enc, 0, 3).count(false));
    }

    private static PackageInfo info(PackageFormat format, String name, Optional<String> source) {
        return new PackageInfo(format, name, Optional.empty(), "1.0", "1", "amd64", source, Optional.empty(), -1,
                Codec.NONE, List.<Dependency>of(), List.<Dependency>of());
    }
}
