package org.symdex.report;

import org.symdex.index.IndexException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.symdex.cap.Satisfaction;
import org.symdex.cap.Scope;

/** An archive state held in memory, built from scanned packages: the brute-force reference. */
public final class MemoryArchive implements ArchiveView {
    private final Map<PackageRef, List<FileFacts>> files = new LinkedHashMap<>();
    private final Map<String, List<FileFacts>> bySoname = new HashMap<>();
    private final Map<String, List<FileFacts>> byNeeded = new HashMap<>();
    private final Map<String, LinkedHashSet<PackageRef>> byProvide = new HashMap<>();
    private final Map<String, List<FileFacts>> byRequire = new HashMap<>();
    private final Map<PackageRef, List<String>> declared = new HashMap<>();
    private final java.util.TreeSet<Scope> scopes = new java.util.TreeSet<>();

    /** Adds a package with its ELF files and the capabilities its header declares (RPM). */
    public void add(PackageRef pkg, Collection<FileFacts> elfFiles, Collection<String> declaredProvides) throws IndexException {
        files.computeIfAbsent(pkg, k -> new ArrayList<>()).addAll(elfFiles);
        declared.computeIfAbsent(pkg, k -> new ArrayList<>()).addAll(declaredProvides);
        for (FileFacts f : elfFiles) {
            scopes.add(f.scope());
            bySoname.computeIfAbsent(key(f.scope(), f.soname()), k -> new ArrayList<>()).add(f);
            LinkedHashSet<String> needs = new LinkedHashSet<>(f.needed());
            for (FileFacts.Import i : f.imports()) {
                if (i.file() != null) {
                    needs.add(i.file());
                }
            }
            for (String n : needs) {
                byNeeded.computeIfAbsent(key(f.scope(), n), k -> new ArrayList<>()).add(f);
            }
            for (String r : f.requires()) {
                byRequire.computeIfAbsent(key(f.scope(), r), k -> new ArrayList<>()).add(f);
            }
            for (String p : f.provides()) {
                byProvide.computeIfAbsent(key(f.scope(), p), k -> new LinkedHashSet<>()).add(pkg);
            }
            if (Satisfaction.providesRtld(f.provides())) {
                byProvide.computeIfAbsent(key(f.scope(), Satisfaction.RTLD_GNU_HASH), k -> new LinkedHashSet<>())
                        .add(pkg);
            }
        }
        // A noarch rpm's declared provides go to scope "any", an unknown arch's to its own scope, as the
        // index keeps them (Satisfaction.declaredScope).
        String declaredScope = Satisfaction.declaredScope(pkg.arch());
        for (String p : declaredProvides) {
            byProvide.computeIfAbsent(key(declaredScope, p), k -> new LinkedHashSet<>()).add(pkg);
        }
    }

    private static String key(Object scope, String name) {
        return scope + "\u0000" + name;
    }

    @Override
    public List<FileFacts> filesWithSoname(Scope scope, String soname) {
        return bySoname.getOrDefault(key(scope, soname), List.of());
    }

    @Override
    public List<FileFacts> filesNeeding(Scope scope, String soname) {
        return byNeeded.getOrDefault(key(scope, soname), List.of());
    }

    @Override
    public List<FileFacts> filesRequiring(Scope scope, String capability) {
        return byRequire.getOrDefault(key(scope, capability), List.of());
    }

    @Override
    public List<PackageRef> providersOf(Scope scope, String capability) {
        LinkedHashSet<PackageRef> out = new LinkedHashSet<>();
        for (String s : Satisfaction.providerScopes(scope.toString())) {
            LinkedHashSet<PackageRef> p = byProvide.get(key(s, capability));
            if (p != null) {
                out.addAll(p);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<Scope> scopes() {
        return List.copyOf(scopes);
    }

    @Override
    public List<PackageRef> packages() {
        return List.copyOf(files.keySet());
    }

    @Override
    public List<PackageRef> packagesNamed(String name) {
        return files.keySet().stream().filter(p -> p.name().equals(name)).toList();
    }

    @Override
    public List<PackageRef> packagesOfSource(String source) {
        return files.keySet().stream().filter(p -> p.source().equals(source)).toList();
    }

    @Override
    public List<FileFacts> filesOf(PackageRef pkg) {
        return files.getOrDefault(pkg, List.of());
    }

    @Override
    public List<String> declaredProvidesOf(PackageRef pkg) {
        return List.copyOf(declared.getOrDefault(pkg, List.of()));
    }
}
