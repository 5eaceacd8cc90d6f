package org.symdex.cli;

import java.nio.charset.StandardCharsets;

/**
 * symdex strings are byte strings: one char per byte (ISO-8859-1), as ELF and archive names are read.
 * File names come from the walk as Unicode decoded from their raw bytes as UTF-8 (with {@code \xNN} for
 * bytes that are not: InputWalker.FileNames), whatever the locale: they are turned back into their UTF-8
 * bytes so that they sort and print the same way.
 */
final class ByteStrings {
    private ByteStrings() {
    }

    static String of(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return new String(name.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
            }
        }
        return name;
    }
}
