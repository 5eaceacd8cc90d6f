package org.symdex.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documents stand on their own: every relative link of README.md, docs/*.md and the fixtures'
 * READMEs names a file or directory of this repository, and none of them sends the reader to a
 * place outside it (the development machine's {@code ../shared} or {@code /work/shared}).
 */
class DocsLinksTest {
    /** {@code [text](target)} and {@code ![alt](target)}; the target may carry a {@code "title"}. */
    private static final Pattern INLINE = Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*(<[^>]*>|[^)\\s]*)[^)]*\\)");
    /** Reference definitions, {@code [label]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*(<[^>]*>|\\S+)");
    private static final Pattern FENCE = Pattern.compile("(?ms)^ {0,3}(```|~~~).*?^ {0,3}\\1[^\\n]*$");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)[^`].*?\\1", Pattern.DOTALL);
    private static final List<String> OUTSIDE = List.of("../shared", "/work/shared");

    @Test
    void everyRelativeLinkResolvesInsideTheRepository() throws IOException {
        Path root = CliTestSupport.root().toAbsolutePath().normalize();
        List<Path> docs = documents(root);
        assertTrue(docs.contains(root.resolve("README.md")), "README.md not found under " + root);
        assertTrue(docs.contains(root.resolve("docs/capabilities.md")), "docs/capabilities.md not found under " + root);

        List<String> problems = new ArrayList<>();
        int links = 0;
        for (Path doc : docs) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            String rel = root.relativize(doc).toString();
            for (String outside : OUTSIDE) {
                for (int at = text.indexOf(outside); at >= 0; at = text.indexOf(outside, at + 1)) {
                    problems.add(rel + ":" + line(text, at) + ": names " + outside + ", which is not part of the repository");
                }
            }
            // Markdown renders no links inside code, so look for them in the prose only (same length, so
            // offsets and line numbers stay right).
            String prose = blank(CODE_SPAN, blank(FENCE, text));
            List<int[]> found = new ArrayList<>();
            Matcher m = INLINE.matcher(prose);
            while (m.find()) {
                found.add(new int[] {m.start(2), m.end(2)});
            }
            m = REFERENCE.matcher(prose);
            while (m.find()) {
                found.add(new int[] {m.start(1), m.end(1)});
            }
            for (int[] span : found) {
                String target = prose.substring(span[0], span[1]);
                String problem = check(root, doc, target);
                links++;
                if (problem != null) {
                    problems.add(rel + ":" + line(text, span[0]) + ": (" + target + ") " + problem);
                }
            }
        }
        assertTrue(links >= 10, "only " + links + " links found in " + docs.size() + " documents: is the parser broken?");
        assertTrue(problems.isEmpty(), problems.size() + " broken or outside links:\n  " + String.join("\n  ", problems));
    }

    @Test
    void theParserSeesLinksAndImagesAndSkipsCode() {
        String doc = "a [x](docs/a.md) b ![i](img/p.png \"t\") `[no](code.md)` [ref]: <r s.md>\n```\n[no](fence.md)\n```\n";
        String prose = blank(CODE_SPAN, blank(FENCE, doc));
        List<String> targets = new ArrayList<>();
        Matcher m = INLINE.matcher(prose);
        while (m.find()) {
            targets.add(m.group(2));
        }
        assertTrue(targets.equals(List.of("docs/a.md", "img/p.png")), targets.toString());
        assertFalse(prose.contains("fence.md"));
        assertTrue(prose.length() == doc.length());
    }

    /** Why the link is bad, or null when it is fine (or not a file link at all). */
    private static String check(Path root, Path doc, String target) {
        String t = target.startsWith("<") && target.endsWith(">") ? target.substring(1, target.length() - 1) : target;
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http:") || lower.startsWith("https:") || lower.startsWith("mailto:")) {
            return null;
        }
        if (t.isEmpty()) {
            return "empty target";
        }
        if (t.startsWith("#")) {
            return null;
        }
        int hash = t.indexOf('#');
        String file = hash >= 0 ? t.substring(0, hash) : t;
        file = URLDecoder.decode(file.replace("+", "%2B"), StandardCharsets.UTF_8);
        // As GitHub renders it: "/x" is the repository's x, anything else is relative to the document.
        Path resolved = (file.startsWith("/") ? root.resolve(file.substring(1)) : doc.getParent().resolve(file)).normalize();
        if (!resolved.startsWith(root)) {
            return "points outside the repository";
        }
        for (Path part : root.relativize(resolved)) {
            if (part.toString().equals("target")) {
                return "points into a build directory, not at a file of the repository";
            }
        }
        if (!Files.exists(resolved)) {
            return "no such file or directory: " + root.relativize(resolved);
        }
        return null;
    }

    /** README.md, docs/*.md and every README.md under fixtures/. */
    private static List<Path> documents(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(root.resolve("README.md"));
        try (Stream<Path> s = Files.list(root.resolve("docs"))) {
            s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(out::add);
        }
        try (Stream<Path> s = Files.walk(root.resolve("fixtures"))) {
            s.filter(p -> p.getFileName().toString().equals("README.md")).sorted().forEach(out::add);
        }
        out.removeIf(p -> !Files.isRegularFile(p));
        return out;
    }

    /** The text with every match of {@code p} replaced by spaces, newlines kept. */
    private static String blank(Pattern p, String text) {
        StringBuilder b = new StringBuilder(text);
        Matcher m = p.matcher(text);
        while (m.find()) {
            for (int i = m.start(); i < m.end(); i++) {
                if (b.charAt(i) != '\n') {
                    b.setCharAt(i, ' ');
                }
            }
        }
        return b.toString();
    }

    private static int line(String text, int offset) {
        int n = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }
}
