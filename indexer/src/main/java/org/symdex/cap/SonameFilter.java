package org.symdex.cap;

/** elfdeps' skipSoname (capabilities.md §2.10), with its default --filter-soname on. */
final class SonameFilter {
    private SonameFilter() {
    }

    /** Whether elfdeps drops a dependency on this name. */
    static boolean skip(String soname) {
        boolean sane = false;
        for (int i = 0; i < soname.length(); i++) {
            if (!isCSpace(soname.charAt(i))) {
                sane = true;
                break;
            }
        }
        if (!sane) {
            return true; // empty or all whitespace, whatever the filter option
        }
        if (!soname.contains(".so")) {
            return true;
        }
        // rpm <= 4.20 compares only 3 characters for "ld64." and "ld64-", so any "ld6..." passes.
        return !(soname.startsWith("lib") || soname.startsWith("ld.") || soname.startsWith("ld-")
                || soname.startsWith("ld6"));
    }

    /** C isspace() in the C locale. */
    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r';
    }
}
