package org.symdex.report;

import org.symdex.index.IndexException;
import java.util.List;

/**
 * Whether a reference binds to a definition, exactly as glibc's {@code check_match} (elf/dl-lookup.c)
 * decides during relocation processing (no DL_LOOKUP_RETURN_NEWEST).
 */
final class SymbolBinding {
    private SymbolBinding() {
    }

    /**
     * Searches one object: the first definition that binds. For an unversioned reference, a definition
     * of version index 3 or more is taken only when it is the one non-hidden such definition of the
     * object ("no possible ambiguities", do_lookup_x).
     */
    static FileFacts.Export lookup(FileFacts.Import ref, FileFacts object) throws IndexException {
        FileFacts.Export onlyVersioned = null;
        int versionedCount = 0;
        List<FileFacts.Export> defs = object.exportsNamed(ref.name());
        for (int i = 0; i < defs.size(); i++) { // indexed: most lists are empty, and no iterator is made for them
            FileFacts.Export def = defs.get(i);
            if (!object.versioned()) {
                return def; // no .gnu.version: any definition matches, versioned reference or not
            }
            if (ref.version() != null) {
                // Same version name, hidden or not; or a base/unversioned definition (its l_versions hash
                // is 0) when neither side is hidden.
                if (ref.version().equals(def.version())
                        || (def.version() == null && !ref.hidden() && !def.hidden())) {
                    return def;
                }
            } else if (def.index() < 3) {
                return def; // index 0..2 binds an unversioned reference even when hidden
            } else if (!def.hidden() && versionedCount++ == 0) {
                onlyVersioned = def;
            }
        }
        return versionedCount == 1 ? onlyVersioned : null;
    }
}
