package org.symdex.pkg;

import java.io.IOException;

/**
 * Carries an IOException thrown by a {@link PackageVisitor} through the reader's own error
 * handling, so that the caller's failure is not mistaken for a corrupt package.
 */
final class VisitorFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    VisitorFailure(IOException cause) {
        super(cause);
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }

    static boolean onInfo(PackageVisitor v, PackageInfo info) {
        try {
            return v.onInfo(info);
        } catch (IOException e) {
            throw new VisitorFailure(e);
        }
    }

    static void onEntry(PackageVisitor v, PackageEntry entry, java.io.InputStream data) {
        try {
            v.onEntry(entry, data);
        } catch (IOException e) {
            throw new VisitorFailure(e);
        }
    }

    /** A one-line description of why reading failed, for PackageFormatException messages. */
    static String describe(Throwable e) {
        if (e instanceof java.io.EOFException) {
            return "truncated" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        if (m == null || m.isBlank()) {
            return type;
        }
        return e instanceof IOException ? m : type + ": " + m;
    }
}
