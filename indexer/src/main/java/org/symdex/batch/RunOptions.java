package org.symdex.batch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.symdex.pkg.ReaderOptions;
import org.symdex.source.Fetcher;
import org.symdex.source.FileFetcher;
import org.symdex.source.SourceFilter;
import org.symdex.source.SourceSpec;

/**
 * How one indexing run behaves.
 *
 * @param index the index directory
 * @param label the label of every package this run walks (e.g. {@code bookworm/main}; "" for none), or
 *     null when none was given: then packages already indexed keep theirs and new ones get none. A
 *     label given for an unchanged package is a label-only rewrite: the package is not read again
 * @param jobs packages read in parallel, at least 1
 * @param prune delete packages that are gone from the given paths
 * @param rebuild start a new, empty index instead of refusing one of another version
 * @param commitEvery commit after every this many packages read (and at the end), at least 1
 * @param withSymbols index each file's dynamic symbols (the largest part of the index)
 * @param crashAfterCommits test hook: 0 for a normal run; n &gt; 0 stops the run right after its n-th
 *     commit as a kill would (everything since that commit is rolled back) and throws
 *     {@link IndexRun.InjectedCrash}. Deterministic, unlike a timer: the index holds exactly n commits.
 * @param spoolDir where the scanner spools entries too big for its heap budget
 * @param reader how packages are read (the xz decoder)
 * @param maxPrunePercent --prune refuses to remove more than this percentage of a root's indexed packages
 *     (when more than 5 would go)
 * @param forcePrune lift that guard
 * @param pruneMissingRoots with --prune, a root that no longer exists is pruned too (guarded alike), and is
 *     not a failure
 * @param keep nights (finished runs' commits) the index keeps, besides a run's middle (Nights.KeepPolicy)
 * @param sources repositories to read (repository issue): their packages carry the sources' labels
 * @param sourceFilter {@code --section} and {@code --package}: what the sources contribute
 * @param fetcher opens the sources' URIs
 * @param allowOlder read a source whose Release is older than the one indexed (else it is skipped: MirrorSkew)
 */
public record RunOptions(Path index, String label, int jobs, boolean prune, boolean rebuild, int commitEvery,
                         boolean withSymbols, int crashAfterCommits, Path spoolDir, ReaderOptions reader,
                         double maxPrunePercent, boolean forcePrune, boolean pruneMissingRoots, int keep,
                         List<SourceSpec> sources, SourceFilter sourceFilter, Fetcher fetcher,
                         boolean allowOlder) {
    public static final int DEFAULT_COMMIT_EVERY = 500;
    public static final double DEFAULT_MAX_PRUNE_PERCENT = 10;

    public RunOptions {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(spoolDir, "spoolDir");
        Objects.requireNonNull(reader, "reader");
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, not " + jobs);
        }
        if (commitEvery < 1) {
            throw new IllegalArgumentException("commitEvery must be at least 1, not " + commitEvery);
        }
        if (!(maxPrunePercent >= 0 && maxPrunePercent <= 100)) {
            throw new IllegalArgumentException("maxPrunePercent must be within 0..100, not " + maxPrunePercent);
        }
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
        sources = List.copyOf(sources);
        Objects.requireNonNull(sourceFilter, "sourceFilter");
        Objects.requireNonNull(fetcher, "fetcher");
        if (crashAfterCommits < 0) {
            throw new IllegalArgumentException("crashAfterCommits must be >= 0, not " + crashAfterCommits);
        }
    }

    /**
     * Defaults: no label given, one job per core, no prune, no rebuild, commit every 500, with symbols,
     * the default xz decoder, --max-prune 10.
     */
    public static RunOptions defaults(Path index) {
        return new RunOptions(index, null, Runtime.getRuntime().availableProcessors(), false, false,
                DEFAULT_COMMIT_EVERY, true, 0, Path.of(System.getProperty("java.io.tmpdir")), ReaderOptions.defaults(),
                DEFAULT_MAX_PRUNE_PERCENT, false, false, org.symdex.index.IndexSession.DEFAULT_KEEP, List.of(),
                SourceFilter.none(), new FileFetcher(), false);
    }

    public RunOptions withLabel(String l) {
        return new RunOptions(index, l, jobs, prune, rebuild, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, keep, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withJobs(int j) {
        return new RunOptions(index, label, j, prune, rebuild, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, keep, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withPrune(boolean p) {
        return new RunOptions(index, label, jobs, p, rebuild, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, keep, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withRebuild(boolean r) {
        return new RunOptions(index, label, jobs, prune, r, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, keep, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withCommitEvery(int n) {
        return new RunOptions(index, label, jobs, prune, rebuild, n, withSymbols, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, keep, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withSymbols(boolean s) {
        return new RunOptions(index, label, jobs, prune, rebuild, commitEvery, s, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, keep, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withCrashAfterCommits(int n) {
        return new RunOptions(index, label, jobs, prune, rebuild, commitEvery, withSymbols, n, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, keep, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withReader(ReaderOptions r) {
        return new RunOptions(index, label, jobs, prune, rebuild, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                r, maxPrunePercent, forcePrune, pruneMissingRoots, keep, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withMaxPrune(double percent, boolean force) {
        return new RunOptions(index, label, jobs, prune, rebuild, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                reader, percent, force, pruneMissingRoots, keep, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withKeep(int k) {
        return new RunOptions(index, label, jobs, prune, rebuild, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, k, sources, sourceFilter, fetcher, allowOlder);
    }

    public RunOptions withSources(List<SourceSpec> specs, SourceFilter filter, Fetcher f) {
        return new RunOptions(index, label, jobs, prune, rebuild, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, keep, specs, filter, f, allowOlder);
    }

    public RunOptions withAllowOlder(boolean a) {
        return new RunOptions(index, label, jobs, prune, rebuild, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, pruneMissingRoots, keep, sources, sourceFilter, fetcher, a);
    }

    public RunOptions withPruneMissingRoots(boolean p) {
        return new RunOptions(index, label, jobs, prune, rebuild, commitEvery, withSymbols, crashAfterCommits, spoolDir,
                reader, maxPrunePercent, forcePrune, p, keep, sources, sourceFilter, fetcher, allowOlder);
    }
}
