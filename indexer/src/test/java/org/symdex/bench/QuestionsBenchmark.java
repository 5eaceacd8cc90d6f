package org.symdex.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.symdex.index.Schema;
import org.symdex.query.BrokenReport;
import org.symdex.query.CapabilityHit;
import org.symdex.query.CapabilityIndex;
import org.symdex.query.IndexedPackage;
import org.symdex.query.QueryFilter;
import org.symdex.query.SymbolPattern;

/**
 * A plain harness (not a test) for issue 16's figures: whatimports in-process over QUERIES symbols drawn
 * (seeded) from the index's own {@code ref:} dictionaries, the 10 most imported reported apart (their
 * answers are thousands of files); globs; why of every broken package. Each query is answered
 * completely (hits named from doc values), as the CLI's tsv does; "with details" adds the stored symbol
 * tables json reads.
 *
 * <pre>java -cp indexer/target/classes:indexer/target/test-classes:$(cat /tmp/index-cp.txt) \
 *     org.symdex.bench.QuestionsBenchmark INDEX [QUERIES] [SEED]</pre>
 */
public final class QuestionsBenchmark {
    private QuestionsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 16;
        Map<String, Long> refs = docFreqs(dir, Schema.SYM_REF);
        List<String> byFreq = new ArrayList<>(refs.keySet());
        byFreq.sort(Comparator.comparingLong((String t) -> -refs.get(t)).thenComparing(Comparator.naturalOrder()));
        List<String> top = byFreq.subList(0, Math.min(10, byFreq.size()));
        List<String> pool = new ArrayList<>(byFreq.subList(top.size(), byFreq.size()));
        pool.sort(null);
        Random rnd = new Random(seed);
        List<String> queries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            queries.add(escape(pool.get(rnd.nextInt(pool.size()))));
        }
        try (CapabilityIndex idx = CapabilityIndex.open(dir)) {
            for (int w = 0; w < 2; w++) { // warm-up: two passes
                for (String q : queries) {
                    imports(idx, q);
                }
            }
            report("whatimports, " + n + " symbols drawn from " + pool.size() + " (seed " + seed + ")", idx, queries, false);
            report("  the same with json's details (stored symbol tables)", idx, queries, true);
            report("whatimports, the 10 most imported (" + String.join(", ", top) + ")", idx,
                    top.stream().map(QuestionsBenchmark::escape).toList(), false);
            for (String g : List.of("EVP_*", "*@GLIBC_PRIVATE", "*@@OPENSSL_3.0.0", "str*cpy*", "_ZNSt*")) {
                for (boolean exports : new boolean[] {false, true}) {
                    long[] ns = new long[5];
                    int hits = 0;
                    for (int i = 0; i < ns.length; i++) {
                        long t0 = System.nanoTime();
                        hits = idx.whoImportsOrExports(exports, SymbolPattern.of(g), QueryFilter.NONE).size();
                        ns[i] = System.nanoTime() - t0;
                    }
                    Arrays.sort(ns);
                    System.out.printf(Locale.ROOT, "%s '%s': median of 5 %.1f ms, %d hits%n",
                            exports ? "whatexports" : "whatimports", g, ns[2] / 1e6, hits);
                }
            }
            BrokenReport broken = idx.broken(QueryFilter.NONE);
            List<IndexedPackage> pkgs = broken.packages().stream().map(BrokenReport.BrokenPackage::pkg).toList();
            for (IndexedPackage p : pkgs) { // warm-up
                idx.why(List.of(p));
            }
            long[] ns = new long[pkgs.size()];
            int unsatisfied = 0;
            for (int i = 0; i < ns.length; i++) {
                long t0 = System.nanoTime();
                unsatisfied += idx.why(List.of(pkgs.get(i))).get(0).unsatisfied().size();
                ns[i] = System.nanoTime() - t0;
            }
            Arrays.sort(ns);
            if (ns.length > 0) {
                System.out.printf(Locale.ROOT, "why of each of %d broken packages (%d unsatisfied requirements): p50 %.2f ms, "
                                + "p90 %.2f ms, max %.2f ms%n", ns.length, unsatisfied, ns[ns.length / 2] / 1e6,
                        ns[ns.length * 9 / 10] / 1e6, ns[ns.length - 1] / 1e6);
            }
        }
    }

    private static int imports(CapabilityIndex idx, String q) throws Exception {
        return idx.whoImportsOrExports(false, SymbolPattern.of(q), QueryFilter.NONE).size();
    }

    private static void report(String what, CapabilityIndex idx, List<String> queries, boolean details) throws Exception {
        long[] ns = new long[queries.size()];
        long hits = 0;
        for (int i = 0; i < ns.length; i++) {
            long t0 = System.nanoTime();
            List<CapabilityHit> h = idx.whoImportsOrExports(false, SymbolPattern.of(queries.get(i)), QueryFilter.NONE);
            if (details) {
                idx.symbolDetails(h, false);
            }
            hits += h.size();
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "%s: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms; %d hits%n", what,
                ns[ns.length / 2] / 1e6, ns[ns.length * 9 / 10] / 1e6, ns[ns.length * 99 / 100] / 1e6,
                ns[ns.length - 1] / 1e6, hits);
    }

    /** An indexed term as an exact argument: glob characters escaped. */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?").replace("[", "\\[").replace("{", "\\{");
    }

    /** Every term of the scoped fields of {@code base}, with its document count summed over scopes. */
    private static Map<String, Long> docFreqs(Path dir, String base) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (var d = FSDirectory.open(dir); DirectoryReader r = DirectoryReader.open(d)) {
            for (String f : Schema.scopedFields(r, base)) {
                Terms terms = MultiTerms.getTerms(r, f);
                TermsEnum te = terms.iterator();
                for (BytesRef t = te.next(); t != null; t = te.next()) {
                    out.merge(t.utf8ToString(), (long) te.docFreq(), Long::sum);
                }
            }
        }
        return out;
    }
}
