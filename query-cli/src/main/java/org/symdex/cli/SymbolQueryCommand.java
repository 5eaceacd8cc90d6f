package org.symdex.cli;

import java.io.PrintWriter;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.symdex.elf.ElfConstants;
import org.symdex.index.IndexException;
import org.symdex.index.SymbolTable;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.SymbolPattern;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * whatimports and whatexports (issue 16, item 2): the ELF files that import (undefined in .dynsym) or
 * define a dynamic symbol, from the {@code ref:S}/{@code def:S} dictionaries of an index built with symbols.
 */
abstract class SymbolQueryCommand extends CapabilityQueryCommand {
    @Parameters(paramLabel = "SYMBOL", arity = "1..*", description = "NAME (every version and the unversioned "
            + "symbol), NAME@VERSION (imports of VERSION, and its default and hidden definitions), NAME@@VERSION "
            + "(the default definition only), or a glob ('*' crosses '@': 'EVP_*', '*@GLIBC_PRIVATE'); globs match "
            + "mangled names. Several are a union.")
    List<String> arguments = List.of();

    @Option(names = "--demangle", description = "Show C++ names demangled (by c++filt, binutils); display only: "
            + "arguments still match the mangled names.")
    boolean demangle;

    /** Mangled name → demangled, filled by {@link #prepare} when --demangle. */
    private Map<String, String> demangled = Map.of();
    /** The stored symbol of each hit, for json. */
    private Map<CapabilityHit, SymbolTable.Symbol> details = new IdentityHashMap<>();

    @Override
    List<String> arguments() {
        return arguments;
    }

    abstract boolean exports();

    @Override
    int run(CapabilityIndex idx, PrintWriter out) throws IndexException {
        parseAll(a -> argument(SymbolPattern::of, a));
        if (!idx.hasSymbols()) {
            throw new IndexException(idx.dir() + ": built without symbols (--no-symbols); " + command() + " needs them");
        }
        return super.run(idx, out);
    }

    @Override
    List<CapabilityHit> answer(CapabilityIndex idx, String argument) throws IndexException {
        return idx.whoImportsOrExports(exports(), argument(SymbolPattern::of, argument), filter());
    }

    @Override
    List<String> suggestions(CapabilityIndex idx, String argument) throws IndexException {
        return idx.suggestSymbols(exports(), argument);
    }

    @Override
    String elsewhere(CapabilityIndex idx, String argument) throws IndexException {
        return idx.symbolElsewhere(exports(), argument)
                ? (exports() ? "it is imported (whatimports)" : "it is exported (whatexports)") : null;
    }

    @Override
    void prepare(CapabilityIndex idx, List<CapabilityHit> hits) throws IndexException {
        if (demangle) {
            List<String> names = hits.stream().map(h -> nameOf(h.capability())).distinct().toList();
            try {
                demangled = Demangler.demangle(names);
            } catch (java.io.IOException e) {
                throw new IndexException("--demangle: " + e.getMessage(), e);
            }
        }
        if (format.value == OutputFormat.json && !packages) {
            List<SymbolTable.Symbol> syms = idx.symbolDetails(hits, exports());
            details = new IdentityHashMap<>();
            for (int i = 0; i < hits.size(); i++) {
                details.put(hits.get(i), syms.get(i));
            }
        }
    }

    @Override
    String display(String term) {
        if (!demangle) {
            return term;
        }
        String name = nameOf(term);
        return demangled.getOrDefault(name, name) + term.substring(name.length());
    }

    private static String nameOf(String term) {
        int at = term.indexOf('@');
        return at < 0 ? term : term.substring(0, at);
    }

    /** As deps --symbols names a symbol's fields, with the term as indexed ({@code symbol}). */
    @Override
    void jsonHitFields(Json json, CapabilityHit h) {
        SymbolTable.Symbol s = details.get(h);
        json.field("path", h.path()).field("scope", h.scope()).field("symbol", h.capability())
                .field("symbolName", nameOf(h.capability()));
        if (demangle) {
            json.field("demangled", demangled.getOrDefault(nameOf(h.capability()), nameOf(h.capability())));
        }
        if (s != null) {
            json.field("symbolVersion", s.version().isEmpty() ? null : s.version()).field("index", s.versionIndex())
                    .field("hidden", s.hidden()).field("binding", ElfConstants.bindingName(s.binding()))
                    .field("type", ElfConstants.symbolTypeName(s.type()));
            if (!exports()) {
                json.field("from", s.file().isEmpty() ? null : s.file());
            }
        }
    }

}
