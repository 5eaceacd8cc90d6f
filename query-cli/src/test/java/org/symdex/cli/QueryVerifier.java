package org.symdex.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The verification run of issue 5 on real packages (not a test: it needs packages outside the
 * repository). Scans the packages with {@code symdex deps --format json}, computes every answer by
 * brute force ({@link BruteForce}) and compares it with the CLI's answer over an index of the same
 * packages, already built with {@code symdex index --label LABEL}:
 *
 * <pre>
 * java -Xmx3g -cp query-cli/target/test-classes:query-cli/target/symdex.jar \
 *     org.symdex.cli.QueryVerifier INDEX LABEL STEP PACKAGE-DIR...
 * </pre>
 *
 * Every provide capability is queried, every STEP-th requirement, a set of globs, --arch and
 * --not-source variants, recursive trees, and the whole broken list. Prints counts; exit 1 on any
 * difference.
 */
public final class QueryVerifier {
    private QueryVerifier() {
    }

    public static void main(String[] args) throws Exception {
        Path index = Path.of(args[0]);
        String label = args[1];
        int step = Integer.parseInt(args[2]);
        List<Path> packages = new ArrayList<>();
        for (int i = 3; i < args.length; i++) {
            try (Stream<Path> s = Files.list(Path.of(args[i]))) {
                s.filter(p -> p.toString().endsWith(".deb") || p.toString().endsWith(".rpm"))
                        .map(p -> p.toAbsolutePath().normalize()).sorted().forEach(packages::add);
            }
        }
        long t0 = System.nanoTime();
        List<String> deps = new ArrayList<>(List.of("deps", "--format", "json", "--jobs", "2"));
        packages.forEach(p -> deps.add(p.toString()));
        CliTestSupport.Run scan = CliTestSupport.run(deps.toArray(new String[0]));
        BruteForce brute = BruteForce.fromDepsJson((Map<?, ?>) MiniJson.parse(scan.out()), label);
        System.out.printf("scanned %d packages, %d ELF files in %.1f s%n", brute.packages.size(),
                brute.packages.stream().mapToInt(p -> p.files().size()).sum(), (System.nanoTime() - t0) / 1e9);

        Verifier v = new Verifier(index);
        List<String> provides = new ArrayList<>(brute.allCapabilities(true));
        List<String> requiresAll = new ArrayList<>(brute.allCapabilities(false));
        List<String> requires = new ArrayList<>();
        for (int i = 0; i < requiresAll.size(); i += step) {
            requires.add(requiresAll.get(i));
        }
        List<String> globs = List.of("*", "*(GLIBC_PRIVATE)*", "libc.so.6(GLIBC_2.*)", "libc.so.6(GLIBC_2.*)(64bit)",
                "libstdc++.so.6(GLIBCXX_3.4.2?)(64bit)", "libstdc++.so.6(CXXABI_1.3.?)*", "libgcc_s.so.1*",
                "libglib-2.0.so.0*", "lib?.so.*", "*(64bit)", "rtld(GNU_HASH)", "ld-linux*", "libssl.so.3(OPENSSL_3.0.*)(64bit)",
                "libcrypto.so.3(OPENSSL_3.0.*)(64bit)", "*.so.1", "libm.so.6(GLIBC_2.2?)*", "no-such-*");
        System.out.printf("capabilities: %d distinct provides (all queried), %d distinct requires (%d queried), %d globs%n",
                provides.size(), requiresAll.size(), requires.size(), globs.size());
        for (String c : provides) {
            v.flat("whatprovides", c, brute.whatProvides(c, p -> true));
        }
        for (String c : requires) {
            v.flat("whatrequires", c, brute.whatRequires(c, p -> true));
        }
        String[][] filters = {{}, {"--arch", "amd64"}, {"--arch", "i386"}, {"--arch", "all"}, {"--not-source", "glibc"}};
        for (String g : globs) {
            for (String[] f : filters) {
                Predicate<BruteForce.Pkg> keep = BruteForce.filter(f);
                v.flat("whatprovides", g, brute.whatProvides(g, keep), f);
                v.flat("whatrequires", g, brute.whatRequires(g, keep), f);
            }
        }
        for (String c : List.of("libz.so.1()(64bit)", "libz.so.1", "libssl.so.3()(64bit)", "libglib-2.0.so.0()(64bit)",
                "libgcc_s.so.1(GCC_3.0)", "libstdc++.so.6(GLIBCXX_3.4.30)(64bit)", "*(GLIBC_PRIVATE)*",
                "libpython3.11.so.1.0()(64bit)", "libX11.so.6()(64bit)")) {
            for (String[] f : new String[][] {{}, {"--not-source", "glibc"}}) {
                v.tree(c, brute.recursive(c, BruteForce.filter(f)), f);
            }
        }
        for (String[] f : filters) {
            v.broken(brute.broken(BruteForce.filter(f)), f);
        }
        System.out.printf("queries compared: %d (%d with answers, %d lines); trees: %d (%d packages, deepest %d); "
                        + "broken: %d packages, %d unresolved lines (no filter)%n", v.queries, v.withAnswers, v.lines,
                v.trees, v.treePackages, v.deepest, v.brokenPackages, v.brokenLines);
        System.out.println("differences: " + v.differences);
        System.exit(v.differences == 0 ? 0 : 1);
    }

    private static final class Verifier {
        final Path index;
        int queries;
        int withAnswers;
        long lines;
        int trees;
        int treePackages;
        int deepest;
        int brokenPackages = -1;
        long brokenLines = -1;
        int differences;

        Verifier(Path index) {
            this.index = index;
        }

        CliTestSupport.Run run(List<String> args) {
            List<String> a = new ArrayList<>(args);
            a.add("--index");
            a.add(index.toString());
            return CliTestSupport.run(a.toArray(new String[0]));
        }

        void flat(String cmd, String pattern, List<BruteForce.Row> want, String... filter) {
            List<String> args = new ArrayList<>(List.of(cmd, "--format", "tsv", pattern));
            args.addAll(List.of(filter));
            CliTestSupport.Run r = run(args);
            List<String> expected = BruteForce.tsv(want);
            queries++;
            withAnswers += expected.isEmpty() ? 0 : 1;
            lines += expected.size();
            check(args, expected, r.out().lines().toList(), r.code(), expected.isEmpty() ? 1 : 0);
        }

        void tree(String pattern, BruteForce.Tree want, String... filter) {
            List<String> args = new ArrayList<>(List.of("whatrequires", "--recursive", pattern));
            args.addAll(List.of(filter));
            CliTestSupport.Run r = run(args);
            trees++;
            treePackages += want.packages();
            deepest = Math.max(deepest, want.text().stream().mapToInt(l -> (l.length() - l.stripLeading().length()) / 2 + 1)
                    .max().orElse(0));
            check(args, want.text(), r.out().lines().toList(), r.code(), want.text().isEmpty() ? 1 : 0);
            args.addAll(List.of("--format", "tsv"));
            CliTestSupport.Run t = run(args);
            check(args, want.tsv(), t.out().lines().toList(), t.code(), want.text().isEmpty() ? 1 : 0);
        }

        void broken(Map<BruteForce.Pkg, List<BruteForce.Row>> want, String... filter) {
            List<String> args = new ArrayList<>(List.of("broken"));
            args.addAll(List.of(filter));
            CliTestSupport.Run r = run(args);
            check(args, BruteForce.brokenText(want), r.out().lines().toList(), r.code(), want.isEmpty() ? 0 : 1);
            args.addAll(List.of("--format", "tsv"));
            List<BruteForce.Row> rows = new ArrayList<>();
            want.values().forEach(rows::addAll);
            CliTestSupport.Run t = run(args);
            check(args, BruteForce.tsv(rows), t.out().lines().toList(), t.code(), want.isEmpty() ? 0 : 1);
            if (filter.length == 0) {
                brokenPackages = want.size();
                brokenLines = rows.size();
            }
        }

        void check(List<String> args, List<String> want, List<String> have, int code, int wantCode) {
            if (!want.equals(have) || code != wantCode) {
                differences++;
                if (differences <= 10) {
                    System.out.println("DIFFERENCE " + args + ": exit " + code + " (want " + wantCode + "), "
                            + have.size() + " lines (want " + want.size() + ")");
                    List<String> missing = new ArrayList<>(want);
                    missing.removeAll(have);
                    List<String> extra = new ArrayList<>(have);
                    extra.removeAll(want);
                    missing.stream().limit(5).forEach(l -> System.out.println("  missing: " + l));
                    extra.stream().limit(5).forEach(l -> System.out.println("  extra:   " + l));
                }
            }
        }
    }
}
