package org.symdex.batch;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import org.symdex.index.DocumentMapper;
import org.symdex.index.IndexException;
import org.symdex.index.PackageStamp;
import org.symdex.pkg.PackageFormatException;
import org.symdex.scan.PackageScan;
import org.symdex.scan.PackageScanner;
import org.symdex.scan.ScannedFile;
import org.symdex.scan.Warning;
import org.symdex.source.Fetcher;
import org.symdex.source.SourceException;

/**
 * One package of a run read and mapped to its documents, or why it could not be: hash, scan (a listed
 * package through {@link ListedRead}, verified while it streams), map. The step {@code symdex index}
 * and the Spark job's tasks share; what they then do with the documents is theirs.
 */
public final class PackageRead {
    /**
     * @param stamp the stamp the documents carry (a move's keeps the labels it had)
     * @param sha256 of the bytes read; null when they could not be read
     * @param mapped the documents; null on failure
     * @param failure why it could not be read or mapped, one line; null on success
     * @param bytesRead bytes of the package read (0 when it could not even be opened or did not verify)
     * @param warnings problems inside a readable package, {@code PACKAGE!/path: reason}
     * @param internalError our bug met on this package (then also its failure), else null
     * @param movedFrom the indexed package this one is a move of, else null
     * @param abandoned the run stopped while it was read: nothing of it is to be written (a stopped
     *     scan's failure is not the package's), only an internal error met on the way is kept
     */
    public record Outcome(PackageStamp stamp, String sha256, DocumentMapper.Mapped mapped, String failure, long bytesRead,
                          List<String> warnings, Throwable internalError, String movedFrom, boolean abandoned) {
        public Outcome {
            warnings = List.copyOf(warnings);
        }

        /** A source rpm: read, but nothing of it is indexed as a binary (whatever was under its key goes). */
        public boolean sourcePackage() {
            return failure == null && mapped.sourcePackage();
        }
    }

    private final PackageScanner scanner;
    private final DocumentMapper mapper;
    private final Fetcher fetcher;

    public PackageRead(PackageScanner scanner, DocumentMapper mapper, Fetcher fetcher) {
        this.scanner = scanner;
        this.mapper = mapper;
        this.fetcher = fetcher;
    }

    /**
     * Reads {@code t}'s package.
     *
     * @param stopping the run is stopping: the scan is abandoned at its next entry
     * @param moves given the package's SHA-256, the indexed package it is a move of, or null (claimed
     *     at once, so that two copies cannot both take it); called for walked packages new to the index
     * @param movedStamp the stamp of a package moved from a key
     */
    public Outcome read(RunPlan.Task t, BooleanSupplier stopping, java.util.function.Function<String, String> moves,
                        BiFunction<PackageStamp, String, PackageStamp> movedStamp) {
        PackageStamp stamp = t.stamp();
        String failure = null;
        DocumentMapper.Mapped mapped = null;
        List<String> warnings = new ArrayList<>();
        String movedFrom = null;
        String sha = null;
        Throwable internal = null;
        long bytes = stamp.size();
        try {
            PackageScan scan;
            if (t.listed() != null) {
                ListedRead read = ListedRead.of(t.listed(), fetcher, scanner, stopping);
                scan = read.scan();
                sha = read.sha256();
                bytes = read.bytes();
            } else {
                MessageDigest md = sha256();
                scan = scanner.scan(t.input().path(), md, stopping);
                sha = HexFormat.of().formatHex(md.digest());
            }
            movedFrom = RunPlan.mayBeMove(t) ? moves.apply(sha) : null;
            if (movedFrom != null) {
                stamp = movedStamp.apply(stamp, movedFrom);
            }
            mapped = mapper.map(stamp, sha, scan);
            for (Warning w : scan.warnings()) {
                warnings.add(w.format(stamp.file()));
            }
            // An ELF file's own problems (symbols over the heap's budget, a skipped .dynamic) are
            // stored with it, and said as deps says them: PACKAGE!/path: reason.
            for (ScannedFile f : scan.files()) {
                for (Warning w : f.warnings()) {
                    warnings.add(w.format(stamp.file()));
                }
            }
            warnings.addAll(mapped.warnings());
        } catch (SourceException e) {
            failure = e.reason(); // the bytes are not what the source lists: never indexed
            bytes = 0;
        } catch (PackageFormatException e) {
            failure = e.getMessage();
        } catch (IndexException e) {
            failure = e.getMessage(); // the mapper's: an identity over the term limit
        } catch (IOException e) {
            failure = "cannot read: " + InputWalker.FileNames.reason(e);
        } catch (RuntimeException | StackOverflowError e) {
            // Our bug, but one package must not cost a nightly run: record it where `symdex
            // failures` shows it, and keep the exception (the run's exit code says 70, --verbose
            // prints its trace).
            failure = "internal error: " + e;
            internal = new IllegalStateException(stamp.file() + ": " + e, e);
        }
        if (stopping.getAsBoolean()) {
            return new Outcome(stamp, sha, null, null, 0, List.of(), internal, null, true);
        }
        if (failure != null) {
            mapped = null;
            movedFrom = null;
            if (failure.startsWith("cannot open")) {
                bytes = 0; // a package that could not even be opened was not read
            }
        }
        return new Outcome(stamp, sha, mapped, failure, bytes, warnings, internal, movedFrom, false);
    }

    /**
     * A fresh SHA-256 for one package: the scanner feeds it every byte of the package file while
     * it reads it, so the hash costs no second read (issue 4).
     */
    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
