package org.symdex.cli;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * symdex strings are byte strings: one char per byte (ISO-8859-1), as ELF and archive names are read.
 * Paths the JVM decoded from the file system are turned back into their bytes so that they sort and
 * print the same way.
 */
final class ByteStrings {
    private static final Charset NATIVE = nativeCharset();

    private ByteStrings() {
    }

    static String of(String jvmString) {
        for (int i = 0; i < jvmString.length(); i++) {
            if (jvmString.charAt(i) >= 0x80) {
                return new String(jvmString.getBytes(NATIVE), StandardCharsets.ISO_8859_1);
            }
        }
        return jvmString;
    }

    private static Charset nativeCharset() {
        String enc = System.getProperty("sun.jnu.encoding");
        try {
            return enc == null ? Charset.defaultCharset() : Charset.forName(enc);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
