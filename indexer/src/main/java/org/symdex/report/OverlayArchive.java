package org.symdex.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.symdex.cap.Scope;
import org.symdex.index.IndexException;

/** The archive after a change: a base state minus some packages, plus candidates. */
public final class OverlayArchive implements ArchiveView {
    private final ArchiveView base;
    private final Set<PackageRef> removed;
    private final MemoryArchive added;

    public OverlayArchive(ArchiveView base, Set<PackageRef> removed, MemoryArchive added) {
        this.base = base;
        this.removed = Set.copyOf(removed);
        this.added = added;
    }

    @Override
    public List<FileFacts> filesWithSoname(Scope scope, String soname) throws IndexException {
        return merge(base.filesWithSoname(scope, soname), added.filesWithSoname(scope, soname));
    }

    @Override
    public List<FileFacts> filesNeeding(Scope scope, String soname) throws IndexException {
        return merge(base.filesNeeding(scope, soname), added.filesNeeding(scope, soname));
    }

    @Override
    public List<FileFacts> filesRequiring(Scope scope, String capability) throws IndexException {
        return merge(base.filesRequiring(scope, capability), added.filesRequiring(scope, capability));
    }

    @Override
    public List<PackageRef> providersOf(Scope scope, String capability) throws IndexException {
        return mergePackages(base.providersOf(scope, capability), added.providersOf(scope, capability));
    }

    @Override
    public List<Scope> scopes() throws IndexException {
        java.util.TreeSet<Scope> all = new java.util.TreeSet<>(base.scopes());
        all.addAll(added.scopes());
        return List.copyOf(all);
    }

    @Override
    public List<PackageRef> packages() throws IndexException {
        return mergePackages(base.packages(), added.packages());
    }

    @Override
    public List<PackageRef> packagesNamed(String name) throws IndexException {
        return mergePackages(base.packagesNamed(name), added.packagesNamed(name));
    }

    @Override
    public List<PackageRef> packagesOfSource(String source) throws IndexException {
        return mergePackages(base.packagesOfSource(source), added.packagesOfSource(source));
    }

    /** The base's packages that stay, then the added ones. */
    private List<PackageRef> mergePackages(List<PackageRef> fromBase, List<PackageRef> fromAdded) {
        List<PackageRef> out = new ArrayList<>(fromBase.size() + fromAdded.size());
        for (PackageRef p : fromBase) {
            if (!removed.contains(p)) {
                out.add(p);
            }
        }
        out.addAll(fromAdded);
        return out;
    }

    @Override
    public List<FileFacts> filesOf(PackageRef pkg) throws IndexException {
        return removed.contains(pkg) ? List.of() : merge(base.filesOf(pkg), added.filesOf(pkg));
    }

    @Override
    public List<String> declaredProvidesOf(PackageRef pkg) throws IndexException {
        if (removed.contains(pkg)) {
            return List.of();
        }
        List<String> out = new ArrayList<>(base.declaredProvidesOf(pkg));
        out.addAll(added.declaredProvidesOf(pkg));
        return out;
    }

    private List<FileFacts> merge(List<FileFacts> fromBase, List<FileFacts> fromAdded) {
        List<FileFacts> out = new ArrayList<>(fromBase.size() + fromAdded.size());
        for (FileFacts f : fromBase) {
            if (!removed.contains(f.pkg())) {
                out.add(f);
            }
        }
        out.addAll(fromAdded);
        return out;
    }
}
