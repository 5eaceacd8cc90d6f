package org.symdex.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns what the user wrote into {@link SourceSpec}s: one {@code --source} line, or a
 * {@code --sources} file in apt's one-line {@code .list} format, apt's deb822 {@code .sources}
 * format or dnf's {@code .repo} format (chosen by the file name's extension, as apt chooses
 * between its two: sourcelist.cc {@code ReadAppend}). Parsing reads no repository.
 */
public final class SourceParser {

    /** A sources file larger than this is refused: they are a few KiB. */
    public static final int MAX_FILE_BYTES = 4 << 20;

    private SourceParser() {
    }

    /**
     * One {@code --source} argument: {@code deb [options] URI SUITE [COMPONENT...]},
     * {@code deb-src ...} (skipped with a note) or {@code rpm-md [id=NAME arch=BASEARCH] URI}.
     *
     * @throws SourceException (USAGE) naming the line and what is wrong with it
     */
    public static ParsedSources parseLine(String line, SourceDefaults defaults) throws SourceException {
        List<SourceSpec> specs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String origin = "--source '" + line + "'";
        String l = AptSourcesParser.stripListComment(line);
        if (l.isEmpty()) {
            throw AptSourcesParser.usage(origin, "empty source line");
        }
        AptSourcesParser.parseOneLine(l, origin, defaults, specs, notes);
        return new ParsedSources(specs, notes);
    }

    /**
     * A {@code --sources FILE}: {@code .list} (apt one-line), {@code .sources} (apt deb822) or
     * {@code .repo} (dnf). Messages name the file as given.
     *
     * @throws SourceException (USAGE) for an unreadable file, an unknown extension or a malformed entry
     */
    public static ParsedSources parseFile(Path file, SourceDefaults defaults) throws SourceException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            // Checked before opening: a FIFO would block the run (docs/packages.md does the same).
            throw AptSourcesParser.usage(name, Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.exists(file)
                    ? "not a regular file" : "no such file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw AptSourcesParser.usage(name, "cannot read: " + e.getMessage());
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw AptSourcesParser.usage(name, "over " + (MAX_FILE_BYTES >> 20) + " MiB; not a sources file");
        }
        return parse(name, decode(name, bytes), defaults);
    }

    /**
     * The text of a sources file whose format {@code name}'s extension says; for tests and for
     * callers that have the text already.
     */
    public static ParsedSources parse(String name, String text, SourceDefaults defaults) throws SourceException {
        List<SourceSpec> specs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (name.endsWith(".list")) {
            AptSourcesParser.parseList(name, text, defaults, specs, notes);
        } else if (name.endsWith(".sources")) {
            AptSourcesParser.parseDeb822(name, text, defaults, specs, notes);
        } else if (name.endsWith(".repo")) {
            DnfRepoParser.parse(name, text, defaults, specs, notes);
        } else {
            throw AptSourcesParser.usage(name, "unknown sources format (expected a .list, .sources or .repo file)");
        }
        return new ParsedSources(specs, notes);
    }

    private static String decode(String name, byte[] bytes) throws SourceException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw AptSourcesParser.usage(name, "not UTF-8 text");
        }
    }
}
