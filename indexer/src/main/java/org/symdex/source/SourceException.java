package org.symdex.source;

/**
 * The one exception of {@code org.symdex.source} (style.md: one exception type per layer). Its
 * message is one line, {@code WHERE: reason}, where WHERE is a URI, a sources file and line, or
 * the {@code --source} line; the CLI prints it as {@code symdex: WHERE: reason}.
 *
 * <p>{@link #kind()} says whose failure it is, so that the caller can map it: a usage error stops
 * the run before anything is read, a source failure loses that source only, a package failure
 * loses that package only (it is never indexed).
 */
public final class SourceException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whose failure this is. */
    public enum Kind {
        /** The command line or a sources file is wrong: nothing should be read. */
        USAGE,
        /** A source's metadata cannot be read or is hostile: that source contributes nothing. */
        SOURCE,
        /** One package's bytes disagree with its metadata, or cannot be read. */
        PACKAGE
    }

    private final Kind kind;
    private final String where;
    private final String reason;

    public SourceException(Kind kind, String where, String reason) {
        this(kind, where, reason, null);
    }

    public SourceException(Kind kind, String where, String reason, Throwable cause) {
        super(oneLine(where) + ": " + oneLine(reason), cause);
        this.kind = kind;
        this.where = oneLine(where);
        this.reason = oneLine(reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The URI, file position or line the failure is about. */
    public String where() {
        return where;
    }

    /** The message without its WHERE prefix. */
    public String reason() {
        return reason;
    }

    /** Control characters (a hostile field could hold newlines) never reach the one-line message. */
    static String oneLine(String s) {
        if (s == null) {
            return "?";
        }
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                b.append(c == '\n' || c == '\r' || c == '\t' ? " " : String.format("\\x%02x", (int) c));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }
}
