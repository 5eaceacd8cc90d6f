package org.symdex.scan;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Resolves a package's symlinks to the ELF files it ships, as the installed tree would: a relative
 * target against the link's directory, {@code .} and {@code ..} removed, chains followed through other
 * symlinks of the same package. Pure, so the rules are tested without packages (SymlinksTest).
 */
public final class Symlinks {
    /** Longest chain followed; the kernel gives up after 40, and a package's soname chains are 1 or 2. */
    static final int MAX_HOPS = 8;

    private Symlinks() {
    }

    /**
     * For each file {@code isFile} accepts, the symlinks that end at it, sorted bytewise.
     *
     * @param symlinks installed path → target as stored in the archive
     */
    public static Map<String, List<String>> resolve(Map<String, String> symlinks, Predicate<String> isFile) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(symlinks).entrySet()) {
            String at = e.getKey();
            String target = e.getValue();
            String end = null;
            for (int hop = 0; hop < MAX_HOPS && target != null; hop++) {
                String p = normalize(at, target);
                if (p == null) {
                    break;
                }
                if (isFile.test(p)) {
                    end = p;
                    break;
                }
                String twin = MergedUsr.twin(p);
                if (twin != null && isFile.test(twin)) {
                    end = twin;
                    break;
                }
                if (symlinks.containsKey(p)) {
                    at = p;
                } else if (twin != null && symlinks.containsKey(twin)) {
                    at = twin;
                } else {
                    break;
                }
                target = symlinks.get(at);
            }
            if (end != null && !end.equals(e.getKey())) {
                out.computeIfAbsent(end, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        return out;
    }

    /** The absolute, normalised path {@code target} names from a link at {@code link}; null if it climbs out of /. */
    static String normalize(String link, String target) {
        if (target.isEmpty()) {
            return null;
        }
        String joined = target.startsWith("/") ? target : link.substring(0, link.lastIndexOf('/') + 1) + target;
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : joined.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (parts.isEmpty()) {
                    continue; // as the kernel: /.. is /
                }
                parts.removeLast();
            } else {
                parts.addLast(seg);
            }
        }
        return "/" + String.join("/", parts);
    }
}
