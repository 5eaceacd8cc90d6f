package org.symdex.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two small archives from the scenario packages: last night's is fixtures/scenarios/base/deb; tonight's
 * has libfoo1 updated to 1.1 (node LIBFOO_1.0 removed), libbar1 dropped, libfoo2 new, the rest untouched.
 * Every line of the diff is checked.
 */
class NightlyDiffTest {
    private static final Path SC = ScenarioPackages.SCENARIOS;

    @Test
    void everyLineOfTheDiff() throws Exception {
        List<UpgradeReport.Candidate> last = scan(SC.resolve("base/deb"));
        List<UpgradeReport.Candidate> tonight = new ArrayList<>();
        for (UpgradeReport.Candidate c : last) {
            if (!c.pkg().name().equals("libfoo1") && !c.pkg().name().equals("libbar1")) {
                tonight.add(c);
            }
        }
        tonight.addAll(scan(SC.resolve("node-removed/deb")));
        tonight.addAll(scan(SC.resolve("soname-bump/deb")));
        NightlyDiff.Result d = NightlyDiff.compute(ScanFacts.archive(last), ScanFacts.archive(tonight));

        assertEquals(List.of("libfoo2-2.0-1.amd64"), d.added().stream().map(PackageRef::nevra).toList());
        assertEquals(List.of("libbar1-1.0-1.amd64"), d.removed().stream().map(PackageRef::nevra).toList());
        assertEquals(List.of("libfoo1.amd64 1.0-1 -> 1.1-1"), d.updated().stream()
                .map(u -> u.after().name() + "." + u.after().arch() + " " + u.before().version() + " -> "
                        + u.after().version()).toList());
        assertEquals(List.of(
                "x86-64/64 libbar.so.1()(64bit) libbar1",
                "x86-64/64 libfoo.so.1(LIBFOO_1.0)(64bit) libfoo1"), lines(d.capabilitiesGone()));
        // libbar.so.1 is gone entirely: its line above says so, its two symbols are counted, not listed.
        assertEquals(2, d.symbolsOfGoneSonames());
        assertEquals(List.of(
                "x86-64/64 libfoo.so.1: LIBFOO_1.0@@LIBFOO_1.0 libfoo1",
                "x86-64/64 libfoo.so.1: foo_keep@@LIBFOO_1.0 libfoo1",
                "x86-64/64 libfoo.so.1: foo_old@@LIBFOO_1.0 libfoo1",
                "x86-64/64 libfoo.so.1: foo_unv@@LIBFOO_1.0 libfoo1"), lines(d.symbolsGone()));
        NightlyDiff.Result every = NightlyDiff.compute(ScanFacts.archive(last), ScanFacts.archive(tonight), true);
        assertEquals(0, every.symbolsOfGoneSonames());
        assertEquals(d.findings(), every.findings());
        assertEquals(List.of(
                "x86-64/64 libbar.so.1: bar_a libbar1",
                "x86-64/64 libbar.so.1: bar_b libbar1",
                "x86-64/64 libfoo.so.1: LIBFOO_1.0@@LIBFOO_1.0 libfoo1",
                "x86-64/64 libfoo.so.1: foo_keep@@LIBFOO_1.0 libfoo1",
                "x86-64/64 libfoo.so.1: foo_old@@LIBFOO_1.0 libfoo1",
                "x86-64/64 libfoo.so.1: foo_unv@@LIBFOO_1.0 libfoo1"), lines(every.symbolsGone()));
        assertEquals(List.of(
                "barapp /usr/bin/barapp libbar.so.1()(64bit) soname-removed libbar1 removal of libbar1-1.0-1.amd64",
                "fooapp /usr/bin/fooapp libfoo.so.1(LIBFOO_1.0)(64bit) version-node-removed libfoo1 "
                        + "update of libfoo1.amd64 1.0-1 -> 1.1-1"),
                d.findings().stream().map(f -> f.consumer().name() + " " + f.path() + " " + f.missing() + " "
                        + f.reason().keyword() + " " + f.providerBefore().name() + " " + f.rootCause()).toList());
    }

    @Test
    void identicalArchivesDiffToNothing() throws Exception {
        List<UpgradeReport.Candidate> last = scan(SC.resolve("base/deb"));
        NightlyDiff.Result d = NightlyDiff.compute(ScanFacts.archive(last), ScanFacts.archive(last));
        assertEquals(List.of(), d.added());
        assertEquals(List.of(), d.removed());
        assertEquals(List.of(), d.updated());
        assertEquals(List.of(), d.capabilitiesGone());
        assertEquals(List.of(), d.findings());
    }

    private static List<String> lines(List<NightlyDiff.Gone> gone) {
        return gone.stream().map(g -> g.scope() + " " + g.item() + " " + g.providerBefore().name()).toList();
    }

    private static List<UpgradeReport.Candidate> scan(Path dir) throws Exception {
        return ScenarioPackages.scan(dir);
    }
}
