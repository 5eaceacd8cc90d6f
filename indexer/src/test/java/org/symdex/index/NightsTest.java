package org.symdex.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nights are commits (releases issue, items 4 and 5): REF parsing, resolution among kept nights, the
 * keep policy, and a reader that outlives the commit it reads. Commits are written with chosen finish
 * stamps, through the session a run uses.
 */
class NightsTest {
    @TempDir
    Path tmp;

    @Test
    void refsSplitAtTheLastAtWhoseSuffixIsARef() {
        assertEquals(new IndexRef(Path.of("idx"), java.util.Optional.of(new IndexRef.Back(1)), "idx@-1"), IndexRef.parse("idx@-1"));
        assertEquals(new IndexRef.OnOrBefore(LocalDate.of(2026, 12, 1)), IndexRef.parse("idx@2026-12-01").ref().orElseThrow());
        assertEquals(new IndexRef.Generation(7), IndexRef.parse("idx@7").ref().orElseThrow());
        // An @ in the path: only a suffix that parses is a REF.
        IndexRef r = IndexRef.parse("/srv/a@b/nightly@-2");
        assertEquals(Path.of("/srv/a@b/nightly"), r.dir());
        assertEquals(new IndexRef.Back(2), r.ref().orElseThrow());
        assertEquals(Path.of("/srv/a@b/nightly"), IndexRef.parse("/srv/a@b/nightly").dir());
        assertTrue(IndexRef.parse("/srv/a@b/nightly").ref().isEmpty());
        assertEquals(Path.of("dir@x"), IndexRef.parse("dir@x").dir());
        assertEquals(Path.of("dir@2026-13-01"), IndexRef.parse("dir@2026-13-01").dir()); // not a day
        assertEquals(Path.of("@-1"), IndexRef.parse("@-1").dir()); // nothing before the @: a path
        assertEquals(Path.of("x@-1"), IndexRef.parse("x@-1@3").dir());
        assertEquals(new IndexRef.Generation(3), IndexRef.parse("x@-1@3").ref().orElseThrow());
    }

    @Test
    void refsResolveAmongKeptNights() throws Exception {
        Path dir = tmp.resolve("idx");
        night(dir, 14, "2026-11-28T23:59:59.999Z");
        night(dir, 14, "2026-11-29T00:00:00Z"); // the next UTC day, by a millisecond
        unfinished(dir, 14);                    // a killed run's middle: not a night
        night(dir, 14, "2026-11-30T02:00:00Z");
        night(dir, 14, "2026-11-30T23:00:00Z");
        try (var d = org.apache.lucene.store.FSDirectory.open(dir)) {
            List<Nights.Night> nights = Nights.nights(d);
            assertEquals(4, nights.size());
            assertEquals(4, Nights.list(d).size(), "the killed run's middle was not the newest: dropped");
            assertEquals("2026-11-30T23:00:00Z", finished(d, "idx"));
            assertEquals("2026-11-30T02:00:00Z", finished(d, "idx@-1"));
            assertEquals("2026-11-29T00:00:00Z", finished(d, "idx@-2"));
            assertEquals("2026-11-28T23:59:59.999Z", finished(d, "idx@-3"));
            assertEquals("2026-11-28T23:59:59.999Z", finished(d, "idx@2026-11-28"));
            assertEquals("2026-11-29T00:00:00Z", finished(d, "idx@2026-11-29"));
            assertEquals("2026-11-30T23:00:00Z", finished(d, "idx@2026-11-30")); // the day's last night
            assertEquals("2026-11-30T23:00:00Z", finished(d, "idx@2027-01-01"));
            long gen = nights.get(1).generation();
            assertEquals("2026-11-29T00:00:00Z", finished(d, "idx@" + gen));
            IndexException e = assertThrows(IndexException.class, () -> Nights.resolve(d, IndexRef.parse("idx@2026-11-01")));
            assertEquals("idx@2026-11-01: no kept night on or before that day (kept: 2026-11-28 .. 2026-11-30)", e.getMessage());
            e = assertThrows(IndexException.class, () -> Nights.resolve(d, IndexRef.parse("idx@-4")));
            assertEquals("idx@-4: only 4 nights are kept (2026-11-28 .. 2026-11-30)", e.getMessage());
            e = assertThrows(IndexException.class, () -> Nights.resolve(d, IndexRef.parse("idx@999")));
            assertTrue(e.getMessage().startsWith("idx@999: no kept commit of generation 999 (kept: "), e.getMessage());
        }
    }

    @Test
    void keepDropsTheOldestNightsAndKeepsTheNewestUnfinishedCommit() throws Exception {
        Path dir = tmp.resolve("idx");
        for (int day = 1; day <= 5; day++) {
            night(dir, 3, "2026-11-0" + day + "T03:00:00Z");
        }
        unfinished(dir, 3);
        try (var d = org.apache.lucene.store.FSDirectory.open(dir)) {
            List<Nights.Night> all = Nights.list(d);
            assertEquals(4, all.size(), "3 nights and the newest, unfinished, commit");
            assertFalse(all.get(3).isNight());
            assertEquals(List.of("2026-11-03", "2026-11-04", "2026-11-05"),
                    Nights.nights(d).stream().map(Nights.Night::day).toList());
            // A dropped night is not "before the first night": the index existed then.
            IndexRef dropped = IndexRef.parse(dir + "@2026-11-01");
            assertThrows(IndexException.class, () -> Nights.resolve(d, dropped));
            Map<String, String> newest = all.get(3).commit().getUserData();
            assertEquals("5", newest.get(Schema.DATA_NIGHTS));
            assertFalse(Nights.beforeFirstNight(dropped, newest));
            assertFalse(Nights.beforeFirstNight(IndexRef.parse(dir + "@-4"), newest));
            assertTrue(Nights.beforeFirstNight(IndexRef.parse(dir + "@-5"), newest));
        }
        night(dir, 1, "2026-11-06T03:00:00Z"); // --keep 1
        try (var d = org.apache.lucene.store.FSDirectory.open(dir)) {
            assertEquals(1, Nights.list(d).size());
            assertEquals("2026-11-06", Nights.nights(d).get(0).day());
        }
    }

    @Test
    void aDayBeforeTheIndexWasCreatedIsBeforeItsFirstNight() throws Exception {
        Path dir = tmp.resolve("idx");
        night(dir, 14, "2026-11-30T21:00:00Z");
        try (var d = org.apache.lucene.store.FSDirectory.open(dir)) {
            Map<String, String> newest = Nights.list(d).get(0).commit().getUserData();
            String created = newest.get(Schema.DATA_CREATED);
            LocalDate createdDay = java.time.Instant.parse(created).atZone(java.time.ZoneOffset.UTC).toLocalDate();
            assertTrue(Nights.beforeFirstNight(IndexRef.parse("idx@" + createdDay.minusDays(1)), newest));
            assertFalse(Nights.beforeFirstNight(IndexRef.parse("idx@" + createdDay), newest));
            assertTrue(Nights.beforeFirstNight(IndexRef.parse("idx@-1"), newest));
            assertFalse(Nights.beforeFirstNight(IndexRef.parse("idx@1"), newest));
        }
    }

    @Test
    void aReaderFinishesWhenKeepDeletesItsCommit() throws Exception {
        Path dir = tmp.resolve("idx");
        night(dir, 1, "2026-11-01T03:00:00Z", "a");
        try (IndexSnapshot old = IndexSnapshot.open(IndexRef.parse(dir.toString()))) {
            night(dir, 1, "2026-11-02T03:00:00Z", "b"); // deletes the commit the reader holds, and its files
            try (var d = org.apache.lucene.store.FSDirectory.open(dir)) {
                assertEquals(1, Nights.list(d).size());
            }
            IndexSearcher s = new IndexSearcher(old.reader());
            assertEquals(1, s.count(new TermQuery(new Term("night", "a"))));
            assertEquals(0, s.count(new TermQuery(new Term("night", "b"))));
        }
        try (IndexSnapshot now = IndexSnapshot.open(IndexRef.parse(dir.toString()))) {
            assertEquals(1, new IndexSearcher(now.reader()).count(new TermQuery(new Term("night", "b"))));
        }
    }

    @Test
    void rebuildDropsEveryKeptNight() throws Exception {
        Path dir = tmp.resolve("idx");
        night(dir, 14, "2026-11-01T03:00:00Z");
        night(dir, 14, "2026-11-02T03:00:00Z");
        try (IndexSession s = IndexSession.open(dir, true, true, 14)) {
            s.commit(finishedAt("2026-11-03T03:00:00Z"));
        }
        try (var d = org.apache.lucene.store.FSDirectory.open(dir)) {
            assertEquals(1, Nights.list(d).size());
            assertEquals("1", Nights.list(d).get(0).commit().getUserData().get(Schema.DATA_NIGHTS));
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private static String finished(org.apache.lucene.store.Directory d, String ref) throws Exception {
        return Nights.resolve(d, IndexRef.parse(ref)).getUserData().get(Schema.DATA_RUN_FINISHED);
    }

    private static Map<String, String> finishedAt(String finished) {
        Map<String, String> data = new HashMap<>();
        data.put(Schema.DATA_RUN_STARTED, finished);
        data.put(Schema.DATA_RUN_FINISHED, finished);
        return data;
    }

    private static void night(Path dir, int keep, String finished) throws Exception {
        night(dir, keep, finished, finished);
    }

    /** A finished run that adds one document (a night that changed something). */
    private static void night(Path dir, int keep, String finished, String mark) throws Exception {
        Files.createDirectories(dir);
        try (IndexSession s = IndexSession.open(dir, false, true, keep)) {
            Document doc = new Document();
            doc.add(new StringField("night", mark, Field.Store.NO));
            s.writer().addDocument(doc);
            s.commit(finishedAt(finished));
        }
    }

    /** A run killed after one intermediate commit. */
    private static void unfinished(Path dir, int keep) throws Exception {
        try (IndexSession s = IndexSession.open(dir, false, true, keep)) {
            Map<String, String> data = new HashMap<>();
            data.put(Schema.DATA_RUN_STARTED, "2026-11-30T01:00:00Z");
            s.commit(data);
        }
    }

    static long count(DirectoryReader r, String mark) throws Exception {
        return new IndexSearcher(r).count(new TermQuery(new Term("night", mark)));
    }
}
