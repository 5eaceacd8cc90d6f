package org.symdex.report;

import java.util.List;
import org.symdex.cap.Scope;

/**
 * One state of an archive, as the closure checks read it. Implementations: {@link MemoryArchive} (from
 * scanned packages) and {@link OverlayArchive} (a base minus removed packages plus candidates); the
 * index provides one over Lucene. Every lookup is within one scope.
 */
public interface ArchiveView {
    /** Files whose soname (DT_SONAME, else base name) is {@code soname}. */
    List<FileFacts> filesWithSoname(Scope scope, String soname);

    /** Files that need {@code soname}: by DT_NEEDED or a verneed entry. */
    List<FileFacts> filesNeeding(Scope scope, String soname);

    /** Files whose elfdeps requires include the capability, in this scope. */
    List<FileFacts> filesRequiring(Scope scope, String capability);

    /** Packages that provide the capability in this scope: an ELF provide, or a declared one. */
    List<PackageRef> providersOf(Scope scope, String capability);

    /** The ELF scopes of this state's files. */
    List<Scope> scopes();

    /** Every package of this state. For brute-force checks; reports use the narrower lookups. */
    List<PackageRef> packages();

    /** Packages with this name, any architecture. */
    List<PackageRef> packagesNamed(String name);

    /** Packages built from this source package. */
    List<PackageRef> packagesOfSource(String source);

    /** The ELF files of one package. */
    List<FileFacts> filesOf(PackageRef pkg);

    /** The capability names an RPM header of this package declares it provides; empty for a .deb. */
    List<String> declaredProvidesOf(PackageRef pkg);
}
