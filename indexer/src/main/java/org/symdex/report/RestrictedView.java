package org.symdex.report;

import java.util.List;
import java.util.function.Predicate;
import org.symdex.cap.Scope;
import org.symdex.index.IndexException;

/**
 * An archive state seen from one universe (releases issue, item 1): only the packages {@code member}
 * accepts exist, so a requirement is satisfied only by providers of the same universe, and a package
 * name means the one of this universe (bookworm's libfoo1, not trixie's). Lookups of one package's own
 * files pass through: the caller asks them of a member.
 */
public final class RestrictedView implements ArchiveView {
    private final ArchiveView base;
    private final Predicate<PackageRef> member;

    public RestrictedView(ArchiveView base, Predicate<PackageRef> member) {
        this.base = base;
        this.member = member;
    }

    private List<FileFacts> files(List<FileFacts> all) {
        return all.stream().filter(f -> member.test(f.pkg())).toList();
    }

    private List<PackageRef> packages(List<PackageRef> all) {
        return all.stream().filter(member).toList();
    }

    @Override
    public List<FileFacts> filesWithSoname(Scope scope, String soname) throws IndexException {
        return files(base.filesWithSoname(scope, soname));
    }

    @Override
    public List<FileFacts> filesNeeding(Scope scope, String soname) throws IndexException {
        return files(base.filesNeeding(scope, soname));
    }

    @Override
    public List<FileFacts> filesRequiring(Scope scope, String capability) throws IndexException {
        return files(base.filesRequiring(scope, capability));
    }

    @Override
    public List<PackageRef> providersOf(Scope scope, String capability) throws IndexException {
        return packages(base.providersOf(scope, capability));
    }

    @Override
    public List<Scope> scopes() throws IndexException {
        return base.scopes();
    }

    @Override
    public List<PackageRef> packages() throws IndexException {
        return packages(base.packages());
    }

    @Override
    public List<PackageRef> packagesNamed(String name) throws IndexException {
        return packages(base.packagesNamed(name));
    }

    @Override
    public List<PackageRef> packagesOfSource(String source) throws IndexException {
        return packages(base.packagesOfSource(source));
    }

    @Override
    public List<FileFacts> filesOf(PackageRef pkg) throws IndexException {
        return base.filesOf(pkg);
    }

    @Override
    public List<String> declaredProvidesOf(PackageRef pkg) throws IndexException {
        return base.declaredProvidesOf(pkg);
    }
}
