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

    /**
     * Hands one entry to the visitor. A failure while it reads the entry's data is the package's
     * fault and propagates as {@link EntryData.PayloadException}; any other IOException is the
     * visitor's own and is carried through as a VisitorFailure.
     */
    static void onEntry(PackageVisitor v, PackageEntry entry, java.io.InputStream data) throws IOException {
        try {
            v.onEntry(entry, entry.size() == 0 ? java.io.InputStream.nullInputStream() : new EntryData(data, entry.size()));
        } catch (EntryData.PayloadException e) {
            throw e;
        } catch (IOException e) {
            throw new VisitorFailure(e);
        }
    }

    /** A one-line description of why reading failed, for PackageFormatException messages. */
    static String describe(Throwable e) {
        if (e instanceof java.io.EOFException) {
            return "truncated" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        if (e instanceof java.nio.file.FileSystemException fse) {
            // Its message is the file's name, which the line already starts with: say why instead.
            if (fse.getReason() != null) {
                return fse.getReason();
            }
            if (e instanceof java.nio.file.AccessDeniedException) {
                return "Permission denied";
            }
            if (e instanceof java.nio.file.NoSuchFileException) {
                return "No such file or directory";
            }
        }
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        if (m == null || m.isBlank()) {
            return type;
        }
        return e instanceof IOException ? m : type + ": " + m;
    }
}
