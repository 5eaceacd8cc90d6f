package org.symdex.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.symdex.batch.InputWalker;
import org.symdex.batch.LargestFirst;
import org.symdex.io.Limits;
import org.symdex.pkg.PackageFormatException;
import org.symdex.index.IndexException;
import org.symdex.query.IndexArchiveView;
import org.symdex.report.ArchiveView;
import org.symdex.report.Baseline;
import org.symdex.report.Finding;
import org.symdex.report.PackageRef;
import org.symdex.report.ScanFacts;
import org.symdex.report.UpgradeReport;
import org.symdex.scan.PackageScanner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code symdex upgrade-report}: what a set of candidate packages (or removals) would newly break. */
@Command(name = "upgrade-report", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Report what an upgrade newly breaks, down to the symbol: the archive's packages, minus "
                + "those with the name and arch of a candidate, minus --remove'd names, plus the candidates. "
                + "The same closure is computed before and after; only what is new is reported.",
                "Beyond rpm metadata it sees a symbol removed from a version node that survives, and an "
                        + "unversioned symbol that no longer resolves in the consumer's NEEDED closure, binding "
                        + "as glibc's ld.so does."},
        footer = {"", "Examples:",
                "  symdex upgrade-report --index nightly/ updates/libfoo1_1.1-1_amd64.deb",
                "  symdex upgrade-report --index tonight/ --only-new lastnight/ updates/",
                "  symdex upgrade-report --base /srv/mirror/pool/main updates/libfoo1_1.1-1_amd64.deb",
                "  symdex upgrade-report --base base/ --whole-sources libfoo2_2.0-1_amd64.deb",
                "  symdex upgrade-report --base base/ --remove libbar1 --format tsv",
                "  symdex upgrade-report --index idx --label 'Debian/bookworm*' --candidate libicu76 "
                        + "--candidate-label 'Debian/trixie/*'",
                "",
                "Reasons: soname-removed, version-node-removed, capability-removed, symbol-removed, "
                        + "unversioned-symbol-removed, new-package-unsatisfied.",
                "With --index, each universe (ORIGIN/SUITE, pockets folded in; --label makes one of the labels it "
                        + "matches) is judged apart, where something leaves: a consumer is satisfied only by "
                        + "providers of its universe.",
                "tsv columns: NAME, VERSION, ARCH, PATH, MISSING, REASON, PROVIDER-BEFORE, ROOT-CAUSE, UNIVERSE, "
                        + "LABELS (the consumer's).",
                "Exit codes: 0 nothing breaks, 1 something breaks, 2 a candidate or base package could not be "
                        + "read, 70 internal error."})
final class UpgradeReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Archive archive = new Archive();

    static final class Archive {
        @Option(names = {"-i", "--index"}, paramLabel = "DIR[@REF]", description = "The archive before the change: "
                + "a symdex index (built with symbols, the default), or one of its nights. Default: ./"
                + IndexDirOption.DEFAULT + ", as every other command, unless --base is given.")
        String index;

        @Option(names = "--base", paramLabel = "PATH", description = "The archive before the change: a "
                + "package file or directory, read into memory (for archives of a few thousand packages or "
                + "fewer). Repeatable.")
        List<Path> base;

        @Option(names = "--base-source", paramLabel = "LINE", description = "The archive before the change: what "
                + "a repository lists ('deb [arch=amd64] URI SUITE COMPONENT...' or 'rpm-md [id=ID arch=ARCH] URI'), "
                + "each package verified as it streams and read into memory. Repeatable.")
        List<String> baseSources;
    }

    @Option(names = "--only-new", paramLabel = "BASELINE[@REF]", description = "Also hide findings that the "
            + "same consumer file already had in this older index or night (INDEX@-1: last night's).")
    String onlyNew;

    @Mixin
    XzDecoderOption xz = new XzDecoderOption();

    @Mixin
    PartialOption partial = new PartialOption();

    @Option(names = "--label", paramLabel = "GLOB", description = "With --index: the archive before the change is "
            + "the packages of the labels the globs match, one universe ('Debian/bookworm*'). Repeatable; '-' is "
            + "the unlabeled packages.")
    List<String> labels = new ArrayList<>();

    @Option(names = "--candidate", paramLabel = "NAME[=VERSION]", description = "With --index: a candidate taken "
            + "from the index itself (another release's package), chosen among --candidate-label's. Repeatable.")
    List<String> indexCandidates = new ArrayList<>();

    @Option(names = "--candidate-label", paramLabel = "GLOB", description = "Where --candidate's packages come "
            + "from ('Debian/trixie/*'). Repeatable.")
    List<String> candidateLabels = new ArrayList<>();

    @Option(names = "--remove", paramLabel = "NAME", description = "A package name that leaves the archive "
            + "(all architectures). Repeatable.")
    List<String> remove = new ArrayList<>();

    @Option(names = "--whole-sources", description = "The candidates are the complete new build of their "
            + "source packages: the archive's other binaries of those sources leave (a soname bump renames "
            + "libfoo1 to libfoo2 and libfoo1 goes).")
    boolean wholeSources;

    @Mixin
    FormatOption format = new FormatOption();

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Packages read in parallel (default: the "
            + "number of cores).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Parameters(paramLabel = "CANDIDATE", arity = "0..*", description = "Candidate package files or "
            + "directories (an updates repository).")
    List<Path> candidates = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = TerminalText.wrap(spec.commandLine().getOut(), format.value);
        PrintWriter err = spec.commandLine().getErr();
        if (candidates.isEmpty() && remove.isEmpty() && indexCandidates.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "nothing changes: give CANDIDATE packages, --candidate NAME or --remove NAME");
        }
        if ((!indexCandidates.isEmpty() || !labels.isEmpty()) && (archive.base != null || archive.baseSources != null)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--label and --candidate read the index: they go with --index, not --base or --base-source");
        }
        if (!candidateLabels.isEmpty() && indexCandidates.isEmpty()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--candidate-label needs --candidate");
        }
        List<org.symdex.query.Glob> labelGlobs = globs(labels, "--label");
        List<org.symdex.query.Glob> candidateGlobs = globs(candidateLabels, "--candidate-label");
        PackageScanner scanner = new PackageScanner(xz.readerOptions(), Limits.defaults(), true,
                Path.of(System.getProperty("java.io.tmpdir")));
        PackageLoader loader = new PackageLoader(scanner, jobs, err);
        List<UpgradeReport.Candidate> cands = loader.load(candidates);
        if (loader.failed()) {
            err.println("symdex: some candidate packages could not be read; no report");
            return Symdex.EXIT_BAD_INPUT;
        }
        org.symdex.index.IndexRef indexDir = archive.base == null && archive.index == null && archive.baseSources == null
                ? org.symdex.index.IndexRef.parse(IndexDirOption.DEFAULT)
                : archive.index == null ? null : org.symdex.index.IndexRef.parse(archive.index);
        UpgradeReport.Result result;
        try (IndexArchiveView index = indexDir == null ? null : IndexArchiveView.open(indexDir);
             IndexArchiveView baseline = onlyNew == null ? null
                     : IndexArchiveView.open(org.symdex.index.IndexRef.parse(onlyNew))) {
            if (index != null) {
                QueryCommand.usable(index.snapshot(), partial, err);
            }
            if (baseline != null) {
                QueryCommand.usable(baseline.snapshot(), partial, err);
            }
            ArchiveView before = index;
            String archiveName = index != null ? indexDir.toString() : "the base";
            if (index == null && archive.baseSources != null) {
                SourceOptions so = new SourceOptions();
                so.lines = archive.baseSources;
                List<org.symdex.source.ListedPackage> listed;
                try {
                    listed = org.symdex.batch.SourcePackages.list(so.parse().specs(), so.filter(),
                            loader.fetcher(), f -> {
                                err.println("symdex: " + f);
                                loader.fail();
                            });
                } catch (org.symdex.source.SourceException e) {
                    err.println("symdex: " + e.getMessage());
                    return Symdex.EXIT_BAD_INPUT;
                }
                before = ScanFacts.archive(loader.loadListed(listed));
                archiveName = "the base sources";
                if (loader.failed()) {
                    err.println("symdex: some base packages or sources could not be read; no report");
                    return Symdex.EXIT_BAD_INPUT;
                }
            } else if (index == null) {
                before = ScanFacts.archive(loader.load(archive.base));
                if (loader.failed()) {
                    err.println("symdex: some base packages could not be read; no report");
                    return Symdex.EXIT_BAD_INPUT;
                }
            }
            org.symdex.query.Universes universes = index == null ? null
                    : org.symdex.query.Universes.of(List.of(index.snapshot().reader()), labelGlobs);
            if (!indexCandidates.isEmpty()) {
                try {
                    cands = new ArrayList<>(cands);
                    cands.addAll(fromIndex(index, candidateGlobs));
                } catch (IllegalArgumentException e) {
                    err.println("symdex: " + e.getMessage());
                    return Symdex.EXIT_BAD_INPUT;
                }
            }
            // A typo must not pass a CI gate as "nothing newly broken".
            for (String name : new LinkedHashSet<>(remove)) {
                if (before.packagesNamed(name).isEmpty()) {
                    err.println("symdex: --remove " + name + ": no package of that name in " + archiveName);
                    return Symdex.EXIT_BAD_INPUT;
                }
            }
            result = universes == null ? UpgradeReport.compute(before, cands, new LinkedHashSet<>(remove), wholeSources)
                    : inUniverses(index, universes, cands);
            if (baseline != null) {
                java.util.function.Function<String, java.util.function.Predicate<PackageRef>> member = universes == null
                        ? u -> p -> true : u -> p -> universes.member(u).test(p.labels());
                result = new UpgradeReport.Result(result.removed(), result.candidates(),
                        Baseline.onlyNew(result.findings(), baseline, member), result.unchecked());
            }
        }
        FindingsOutput.uncheckedLine(err, indexDir == null ? "the base" : "the index", result.unchecked());
        switch (format.value) {
            case tsv -> FindingsOutput.tsv(out, result.findings());
            case json -> json(out, result);
            default -> text(out, result);
        }
        out.flush();
        return result.findings().isEmpty() ? Symdex.EXIT_OK : Symdex.EXIT_FINDINGS;
    }

    private static void text(PrintWriter out, UpgradeReport.Result r) {
        out.println("change: " + r.candidates().size() + " candidate(s), " + r.removed().size()
                + " package(s) leaving the archive");
        for (PackageRef p : r.removed()) {
            out.println("  leaves: " + p.nevra());
        }
        for (UpgradeReport.Candidate c : r.candidates()) {
            out.println("  enters: " + c.pkg().nevra());
        }
        FindingsOutput.text(out, r.findings(), r.unchecked());
    }

    private static void json(PrintWriter out, UpgradeReport.Result r) {
        Json j = new Json(out);
        j.beginObject().field("schema", "symdex/1").field("command", "upgrade-report");
        j.name("change").beginObject();
        j.field("leaving", r.removed().stream().map(PackageRef::nevra).toList());
        j.field("entering", r.candidates().stream().map(c -> c.pkg().nevra()).toList());
        j.endObject();
        FindingsOutput.json(j, r.findings());
        FindingsOutput.jsonUnchecked(j, r.unchecked());
        j.name("errors").beginArray().endArray();
        j.endObject().end();
    }

    private List<org.symdex.query.Glob> globs(List<String> values, String option) {
        List<org.symdex.query.Glob> out = new ArrayList<>();
        for (String v : values) {
            try {
                out.add(org.symdex.query.Glob.of(v));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), option + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * The report judged in each universe where something leaves (all of them when nothing does): a
     * consumer is satisfied only by providers of its universe, and a candidate replaces the package of
     * its name in that universe only.
     */
    private UpgradeReport.Result inUniverses(IndexArchiveView index, org.symdex.query.Universes universes,
                                             List<UpgradeReport.Candidate> cands) throws IndexException {
        java.util.Set<String> keys = new java.util.HashSet<>();
        cands.forEach(c -> keys.add(c.pkg().key()));
        List<String> judged = new ArrayList<>();
        for (String u : universes.names()) {
            ArchiveView in = new org.symdex.report.RestrictedView(index, p -> universes.member(u).test(p.labels()));
            boolean leaves = false;
            for (PackageRef p : in.packages()) {
                if (keys.contains(p.key()) || remove.contains(p.name())) {
                    leaves = true;
                    break;
                }
            }
            if (leaves) {
                judged.add(u);
            }
        }
        if (judged.isEmpty()) {
            judged = universes.names();
        }
        java.util.Map<String, PackageRef> removed = new java.util.TreeMap<>();
        List<Finding> findings = new ArrayList<>();
        List<UpgradeReport.Unchecked> unchecked = new ArrayList<>();
        for (String u : judged) {
            ArchiveView in = new org.symdex.report.RestrictedView(index, p -> universes.member(u).test(p.labels()));
            UpgradeReport.Result r = UpgradeReport.compute(in, cands, new LinkedHashSet<>(remove), wholeSources);
            r.removed().forEach(p -> removed.putIfAbsent(p.key() + "\u0000" + p.file(), p));
            String name = universes.names().size() > 1 || !labels.isEmpty() ? u : "";
            r.findings().forEach(f -> findings.add(f.in(name)));
            unchecked.addAll(r.unchecked());
        }
        findings.sort(Finding.ORDER);
        return new UpgradeReport.Result(List.copyOf(removed.values()), cands, findings, unchecked);
    }

    /**
     * --candidate NAME[=VERSION]: packages of the index itself, among --candidate-label's labels, as
     * candidates (their files and declared provides as indexed). One version per name and arch.
     */
    private List<UpgradeReport.Candidate> fromIndex(IndexArchiveView index, List<org.symdex.query.Glob> where)
            throws IndexException {
        List<UpgradeReport.Candidate> out = new ArrayList<>();
        for (String spec : indexCandidates) {
            int eq = spec.indexOf('=');
            String name = eq < 0 ? spec : spec.substring(0, eq);
            String version = eq < 0 ? null : spec.substring(eq + 1);
            java.util.Map<String, PackageRef> byKey = new java.util.TreeMap<>();
            for (PackageRef p : index.packagesNamed(name)) {
                if (version != null && !p.version().equals(version)) {
                    continue;
                }
                if (!where.isEmpty() && p.labels().stream().noneMatch(l -> where.stream().anyMatch(g -> g.matches(l)))) {
                    continue;
                }
                PackageRef other = byKey.putIfAbsent(p.key(), p);
                if (other != null && !other.version().equals(p.version())) {
                    throw new IllegalArgumentException("--candidate " + spec + ": " + p.key() + " has versions "
                            + other.version() + " and " + p.version() + " there; give NAME=VERSION");
                }
            }
            if (byKey.isEmpty()) {
                throw new IllegalArgumentException("--candidate " + spec + ": no such package in the index"
                        + (where.isEmpty() ? "" : " under --candidate-label " + String.join(", ", candidateLabels)));
            }
            for (PackageRef p : byKey.values()) {
                out.add(new UpgradeReport.Candidate(p, index.filesOf(p), index.declaredProvidesOf(p)));
            }
        }
        return out;
    }

    /** Reads package files and directories into report facts, in parallel, one line per unreadable package. */
    static final class PackageLoader {
        private final PackageScanner scanner;
        private final int jobs;
        private final PrintWriter err;
        private boolean failed;

        PackageLoader(PackageScanner scanner, int jobs, PrintWriter err) {
            this.scanner = scanner;
            this.jobs = Math.max(1, jobs);
            this.err = err;
        }

        boolean failed() {
            return failed;
        }

        void fail() {
            failed = true;
        }

        private org.symdex.source.Fetcher fetcher;

        /** file:, http: and https: (SourceOptions.fetcher), made at first use. */
        org.symdex.source.Fetcher fetcher() throws org.symdex.source.SourceException {
            if (fetcher == null) {
                fetcher = new SourceOptions().fetcher(org.symdex.source.TransferListener.NONE);
            }
            return fetcher;
        }

        /** Packages a source lists, each read as it streams and verified (batch.ListedRead). */
        List<UpgradeReport.Candidate> loadListed(List<org.symdex.source.ListedPackage> listed) throws Exception {
            List<UpgradeReport.Candidate> out = new ArrayList<>();
            new LargestFirst<org.symdex.source.ListedPackage, Object>(listed, org.symdex.source.ListedPackage::size, jobs,
                    Math.max(1, listed.size()), "symdex-load").run(p -> {
                        String uri = p.uri().toString();
                        try {
                            return ScanFacts.candidate(uri, org.symdex.batch.ListedRead.of(p, fetcher(), scanner,
                                    () -> false).scan());
                        } catch (org.symdex.source.SourceException e) {
                            return e.getMessage();
                        } catch (PackageFormatException e) {
                            return uri + ": " + e.getMessage();
                        } catch (java.io.IOException e) {
                            return uri + ": cannot read: " + e.getMessage();
                        }
                    }, r -> {
                        if (r instanceof UpgradeReport.Candidate c) {
                            out.add(c);
                        } else {
                            failed = true;
                            err.println("symdex: " + r);
                        }
                    });
            return out;
        }

        List<UpgradeReport.Candidate> load(List<Path> paths) throws Exception {
            InputWalker.Walk walk = InputWalker.walk(paths, InputWalker.Accept.PACKAGES);
            walk.warnings().forEach(w -> err.println("symdex: " + w));
            for (InputWalker.Root r : walk.roots()) {
                if (r.directory() && r.found() == 0) {
                    failed = true; // said by the walk's warning: a candidate or base directory with nothing in it
                }
            }
            List<InputWalker.Input> inputs = walk.inputs();
            List<UpgradeReport.Candidate> out = new ArrayList<>();
            // Largest first, results in argument order (LargestFirst); all are kept anyway, hence the window.
            new LargestFirst<InputWalker.Input, Object>(inputs, InputWalker.Input::size, jobs,
                    Math.max(1, inputs.size()), "symdex-load").run(in -> {
                        if (!in.ok()) {
                            return ByteStrings.of(in.display()) + ": " + in.problem();
                        }
                        try {
                            return ScanFacts.candidate(in.path(), scanner.scan(in.path()));
                        } catch (PackageFormatException e) {
                            return ByteStrings.of(in.display()) + ": " + e.getMessage();
                        } catch (java.io.IOException e) {
                            return ByteStrings.of(in.display()) + ": cannot read: " + e.getMessage();
                        }
                    }, r -> {
                        if (r instanceof UpgradeReport.Candidate c) {
                            out.add(c);
                        } else {
                            failed = true;
                            err.println("symdex: " + r);
                        }
                    });
            return out;
        }
    }
}
