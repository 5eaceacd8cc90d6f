package org.symdex.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.symdex.index.IndexException;

/**
 * Where a {@link FileFacts} gets its dynamic symbols. A report touches few of them: the imports of the
 * files a change can reach, and, in every library of their closures, only the names those imports look
 * up. An index-backed source answers {@link #exportsNamed} from the stored table without decoding the
 * rest (a libc or a libQt5Core holds thousands of definitions), which is what keeps a whole-archive diff
 * cheap; {@link #of} holds lists already in memory (a scanned candidate package). A stored table that
 * does not decode is a damaged index: {@link IndexException}.
 */
public interface SymbolSource {
    /** Every exported (defined, non-local) symbol, in table order. */
    List<FileFacts.Export> exports() throws IndexException;

    /** Every imported (undefined, non-local) symbol, in table order. */
    List<FileFacts.Import> imports() throws IndexException;

    /** The definitions of one symbol name, in table order: ld.so looks symbols up by name (its hash tables). */
    List<FileFacts.Export> exportsNamed(String name) throws IndexException;

    /** How many exports there are; a source may count them without decoding them. */
    default int exportCount() throws IndexException {
        return exports().size();
    }

    /** A source over lists already decoded. */
    static SymbolSource of(List<FileFacts.Export> exports, List<FileFacts.Import> imports) {
        return new Decoded(List.copyOf(exports), List.copyOf(imports));
    }

    /** Lists in memory, with a by-name map built on the first lookup. */
    final class Decoded implements SymbolSource {
        private final List<FileFacts.Export> exports;
        private final List<FileFacts.Import> imports;
        private volatile Map<String, List<FileFacts.Export>> byName;

        private Decoded(List<FileFacts.Export> exports, List<FileFacts.Import> imports) {
            this.exports = exports;
            this.imports = imports;
        }

        @Override
        public List<FileFacts.Export> exports() {
            return exports;
        }

        @Override
        public List<FileFacts.Import> imports() {
            return imports;
        }

        @Override
        public List<FileFacts.Export> exportsNamed(String name) {
            Map<String, List<FileFacts.Export>> m = byName;
            if (m == null) {
                m = new HashMap<>();
                for (FileFacts.Export x : exports) {
                    m.computeIfAbsent(x.name(), k -> new ArrayList<>(1)).add(x);
                }
                byName = m;
            }
            return m.getOrDefault(name, List.of());
        }
    }
}
