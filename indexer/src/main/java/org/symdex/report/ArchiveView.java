package org.symdex.report;

import java.util.List;
import org.symdex.cap.Scope;
import org.symdex.index.IndexException;

/**
 * One state of an archive, as the closure checks read it. Reading an index can fail (an I/O error, a
 * damaged document): every lookup declares {@link IndexException}, so such a failure is an unreadable
 * input (exit 2), not taken for a bug of the report. Implementations: {@link MemoryArchive} (from
 * scanned packages) and {@link OverlayArchive} (a base minus removed packages plus candidates); the
 * index provides one over Lucene. Every lookup is within one scope.
 */
public interface ArchiveView {
    /** Files whose soname (DT_SONAME, else base name) is {@code soname}. */
    List<FileFacts> filesWithSoname(Scope scope, String soname) throws IndexException;

    /** Files that need {@code soname}: by DT_NEEDED or a verneed entry. */
    List<FileFacts> filesNeeding(Scope scope, String soname) throws IndexException;

    /** Files whose elfdeps requires include the capability, in this scope. */
    List<FileFacts> filesRequiring(Scope scope, String capability) throws IndexException;

    /** Packages that provide the capability in this scope: an ELF provide, or a declared one. */
    List<PackageRef> providersOf(Scope scope, String capability) throws IndexException;

    /** The ELF scopes of this state's files. */
    List<Scope> scopes() throws IndexException;

    /** Every package of this state. For brute-force checks; reports use the narrower lookups. */
    List<PackageRef> packages() throws IndexException;

    /** Packages with this name, any architecture. */
    List<PackageRef> packagesNamed(String name) throws IndexException;

    /** Packages built from this source package. */
    List<PackageRef> packagesOfSource(String source) throws IndexException;

    /** The ELF files of one package. */
    List<FileFacts> filesOf(PackageRef pkg) throws IndexException;

    /** The capability names an RPM header of this package declares it provides; empty for a .deb. */
    List<String> declaredProvidesOf(PackageRef pkg) throws IndexException;
}
