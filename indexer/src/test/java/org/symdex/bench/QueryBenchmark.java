package org.symdex.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeSet;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.symdex.index.Schema;
import org.symdex.query.BrokenReport;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.CapabilityPattern;
import org.symdex.query.QueryFilter;

/**
 * A plain harness (not a test): in-process latency of whatprovides/whatrequires over an index, and
 * of broken. The queries are drawn (seeded) from the index's own prov:/req: dictionaries: half exact
 * terms, half globs made from terms (a soname's versions {@code libfoo.so.1(*}, a version family
 * {@code libc.so.6(GLIBC_2.3*)*}, a single-character {@code ?} wildcard, a leading {@code *(VERSION)*}).
 * Each query is answered completely (hits named from doc values), as the CLI does.
 *
 * <pre>java -cp indexer/target/classes:indexer/target/test-classes:$(cat /tmp/index-cp.txt) \
 *     org.symdex.bench.QueryBenchmark INDEX [QUERIES] [SEED]</pre>
 */
public final class QueryBenchmark {
    private QueryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Random rnd = new Random(args.length > 2 ? Long.parseLong(args[2]) : 5);
        List<String> prov = new ArrayList<>(terms(dir, Schema.PROV));
        List<String> req = new ArrayList<>(terms(dir, Schema.REQ));
        List<String[]> queries = new ArrayList<>(); // {base, pattern}
        for (int i = 0; i < n; i++) {
            boolean provides = rnd.nextBoolean();
            List<String> pool = provides ? prov : req;
            String t = pool.get(rnd.nextInt(pool.size()));
            String q = i % 2 == 0 ? t : glob(t, rnd);
            queries.add(new String[] {provides ? "P" : "R", q});
        }
        try (CapabilityIndex idx = CapabilityIndex.open(dir)) {
            for (int w = 0; w < 2; w++) { // warm-up: two passes, so the JIT has compiled the paths
                for (String[] q : queries) {
                    run(idx, q);
                }
            }
            long[] ns = new long[n];
            long hits = 0;
            int globs = 0;
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                hits += run(idx, queries.get(i));
                ns[i] = System.nanoTime() - t0;
                globs += CapabilityPattern.of(queries.get(i)[1]).isGlob() ? 1 : 0;
            }
            Arrays.sort(ns);
            System.out.printf(Locale.ROOT, "%d queries (%d globs) over %d prov and %d req terms: p50 %.3f ms, "
                            + "p90 %.3f ms, p99 %.3f ms, max %.3f ms; %d hits%n", n, globs, prov.size(), req.size(),
                    ns[n / 2] / 1e6, ns[n * 9 / 10] / 1e6, ns[n * 99 / 100] / 1e6, ns[n - 1] / 1e6, hits);
            long[] b = new long[7];
            BrokenReport r = null;
            for (int i = 0; i < b.length; i++) {
                long t0 = System.nanoTime();
                r = idx.broken(QueryFilter.NONE);
                b[i] = System.nanoTime() - t0;
            }
            long first = b[0];
            Arrays.sort(b);
            System.out.printf(Locale.ROOT, "broken: first %.1f ms, median of %d %.1f ms; %d scopes, %d requirement "
                            + "terms, %d unsatisfied, %d packages%n", first / 1e6, b.length, b[b.length / 2] / 1e6,
                    r.scopes().size(), r.requirementTerms(), r.unsatisfiedTerms(), r.packages().size());
        }
    }

    private static int run(CapabilityIndex idx, String[] q) throws Exception {
        CapabilityPattern p = CapabilityPattern.of(q[1]);
        return (q[0].equals("P") ? idx.whoProvides(p, QueryFilter.NONE) : idx.whoRequires(p, QueryFilter.NONE)).size();
    }

    /** A glob a user would type, made from a real term. */
    private static String glob(String t, Random rnd) {
        int paren = t.indexOf('(');
        switch (rnd.nextInt(4)) {
            case 0:
                return paren > 0 ? escape(t.substring(0, paren + 1)) + "*" : escape(t) + "*";
            case 1: {
                int cut = Math.max(1, t.length() - 1 - rnd.nextInt(Math.max(1, Math.min(6, t.length() - 1))));
                return escape(t.substring(0, cut)) + "*";
            }
            case 2: {
                int at = rnd.nextInt(t.length());
                return escape(t.substring(0, at)) + "?" + escape(t.substring(at + 1));
            }
            default:
                return paren > 0 ? "*" + escape(t.substring(paren)) + "*" : "*" + escape(t);
        }
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?").replace("[", "\\[").replace("{", "\\{");
    }

    private static TreeSet<String> terms(Path dir, String base) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        try (var d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
            for (String f : Schema.scopedFields(r, base)) {
                Terms terms = MultiTerms.getTerms(r, f);
                TermsEnum te = terms.iterator();
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    out.add(t.utf8ToString());
                }
            }
        }
        return out;
    }
}
