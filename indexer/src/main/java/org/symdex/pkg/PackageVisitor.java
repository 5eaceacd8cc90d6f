package org.symdex.pkg;

import java.io.IOException;
import java.io.InputStream;

/**
 * Receives a package as it streams by: the metadata first, then each payload entry in archive
 * order (jdeb's DataConsumer idea, without exposing commons-compress types).
 */
public interface PackageVisitor {

    /** Called once, before any entry. Return false to stop reading (e.g. a source rpm). */
    boolean onInfo(PackageInfo info) throws IOException;

    /**
     * One payload entry. {@code data} holds exactly {@link PackageEntry#size()} bytes, is valid
     * only during this call and need not be read to the end or closed.
     */
    void onEntry(PackageEntry entry, InputStream data) throws IOException;
}
