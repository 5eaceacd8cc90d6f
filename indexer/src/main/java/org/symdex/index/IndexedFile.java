package org.symdex.index;

import java.util.List;
import java.util.Objects;
import org.apache.lucene.document.Document;
import org.apache.lucene.util.BytesRef;

/**
 * One file document read back: what the query side and the reports get for a hit, decoded in one
 * place so that no reader parses stored fields by hand. Lists are as {@link DocumentMapper} wrote them.
 *
 * @param soname DT_SONAME, or null when the file has none
 * @param needed DT_NEEDED in dynamic-section order
 * @param symbols empty when the index was built without symbols
 */
public record IndexedFile(String packageFile, String packageName, String evr, String arch, String source,
                          String label, String path, int mode, String scope, String elfClass, String machine,
                          String type, String soname, String interpreter, boolean versioned, List<String> needed,
                          List<String> runpath, List<String> rpath, List<String> provides, List<String> requires,
                          List<SymbolTable.Symbol> symbols) {
    public IndexedFile {
        Objects.requireNonNull(packageFile, "packageFile");
        Objects.requireNonNull(path, "path");
        needed = List.copyOf(needed);
        runpath = List.copyOf(runpath);
        rpath = List.copyOf(rpath);
        provides = List.copyOf(provides);
        requires = List.copyOf(requires);
        symbols = List.copyOf(symbols);
    }

    /** Decodes a file document loaded with all its stored fields. */
    public static IndexedFile of(Document d) throws IndexException {
        BytesRef table = d.getBinaryValue(Schema.SYMBOL_TABLE);
        return of(d, table == null ? List.of() : SymbolTable.decode(table.bytes, table.offset, table.length));
    }

    /**
     * Everything but the symbol table, whose symbols are left empty: for readers that look symbols up
     * in place ({@link SymbolTable.Packed}).
     */
    public static IndexedFile withoutSymbols(Document d) {
        return of(d, List.of());
    }

    private static IndexedFile of(Document d, List<SymbolTable.Symbol> symbols) {
        return new IndexedFile(d.get(Schema.PKG_FILE), d.get(Schema.PKG_NAME), d.get(Schema.PKG_EVR),
                d.get(Schema.PKG_ARCH), d.get(Schema.PKG_SOURCE), d.get(Schema.PKG_LABEL), d.get(Schema.FILE_PATH),
                d.getField(Schema.FILE_MODE).numericValue().intValue(), d.get(Schema.SCOPE), d.get(Schema.ELF_CLASS),
                d.get(Schema.ELF_MACHINE), d.get(Schema.ELF_TYPE), d.get(Schema.ELF_SONAME), d.get(Schema.ELF_INTERP),
                Boolean.parseBoolean(d.get(Schema.ELF_VERSIONED)), List.of(d.getValues(Schema.ELF_NEEDED)),
                List.of(d.getValues(Schema.ELF_RUNPATH)), List.of(d.getValues(Schema.ELF_RPATH)),
                List.of(d.getValues(Schema.FILE_PROVIDES)), List.of(d.getValues(Schema.FILE_REQUIRES)), symbols);
    }
}
