package org.symdex.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.symdex.elf.ElfFile;
import org.symdex.pkg.PackageFormat;

/**
 * The one walk from command-line paths to the files to read, for {@code deps}, {@code index} and
 * {@code upgrade-report} alike.
 *
 * <ul>
 * <li>Arguments are taken in their order. A file named on the command line is taken whatever its
 *     contents (the reader says why it is not a package); a FIFO, device or socket is refused at once,
 *     since opening a FIFO would block.</li>
 * <li>A directory is walked in the bytewise order of the whole path (siblings are compared by name
 *     with a '/' after directory names, which is what ordering whole paths amounts to), and inside it a
 *     regular file is taken when its first bytes are those of a package (or of an ELF file, for
 *     {@code deps}), whatever its name, so a renamed .deb is never silently skipped; a file named like a
 *     package (*.deb, *.udeb, *.ddeb, *.rpm) is taken too, so the reader says why it is not one.</li>
 * <li>Symbolic links are followed, to files and to directories: repository managers publish symlink
 *     farms (Pulp, aptly, Koji), and people build before/after sets with {@code ln -s}. A file reached
 *     twice (two links, a link and its target) is taken once, under the first name in walk order, by
 *     its (device, inode); a directory reached again is not walked again. A dangling link or a link
 *     back to a directory being walked (a loop) is one warning.</li>
 * <li>Names are bytes: a name that is not valid UTF-8 is shown with {@code \xNN} for its invalid
 *     bytes (never dropped: the file is read through its own path object).</li>
 * </ul>
 *
 * <p>Per root (argument), the walk says how many files it found and whether anything went wrong
 * (a directory or file it could not read, a dangling link): {@code --prune} removes nothing under a
 * root whose walk hit any error or found nothing.
 */
public final class InputWalker {
    /** What a directory walk takes. */
    public enum Accept {
        PACKAGES("no .deb or .rpm package found"),
        PACKAGES_AND_ELF("no ELF file or .deb or .rpm package found");

        private final String nothingFound;

        Accept(String nothingFound) {
            this.nothingFound = nothingFound;
        }
    }

    /**
     * One file to read, or one that cannot be (then {@code problem} says why in one line).
     *
     * @param path the file, as the walk reached it (not resolved)
     * @param display the path as the user wrote it plus the names below it
     * @param key the absolute, normalised path (not resolved): a package's identity in the index
     * @param named whether it was named on the command line (else found in a directory)
     * @param size length in bytes (0 when unknown)
     * @param mtime modification time in nanoseconds since the epoch
     * @param root the index of the argument it came from
     */
    public record Input(Path path, String display, String key, boolean named, long size, long mtime,
                        String problem, int root) {
        public Input {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(display, "display");
            Objects.requireNonNull(key, "key");
        }

        public boolean ok() {
            return problem == null;
        }
    }

    /**
     * One command-line argument.
     *
     * @param key absolute normalised path; packages under it have keys starting with {@code key + "/"}
     * @param missing it does not exist
     * @param directory it is a directory (else a file)
     * @param found files taken under it
     * @param errors things under it that could not be read (a directory, a file, a dangling link)
     */
    public record Root(String display, String key, boolean missing, boolean directory, int found, int errors) {
        /** Whether {@code packageKey} lies under this root (a missing one may have been a directory). */
        public boolean holds(String packageKey) {
            return packageKey.equals(key)
                    || (directory || missing) && packageKey.startsWith(key.endsWith("/") ? key : key + "/");
        }

        /** Whether --prune may remove packages under this root that the walk did not find. */
        public boolean prunable() {
            return !missing && errors == 0 && found > 0;
        }
    }

    /** The walk: inputs in walk order, roots in argument order, and warning lines ({@code PATH: reason}). */
    public record Walk(List<Input> inputs, List<Root> roots, List<String> warnings) {
        public Walk {
            inputs = List.copyOf(inputs);
            roots = List.copyOf(roots);
            warnings = List.copyOf(warnings);
        }
    }

    private final Accept accept;
    private final List<Input> inputs = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    /** (device, inode) of every file taken: the first name wins. */
    private final Set<Object> files = new HashSet<>();
    /** (device, inode) of every directory walked. */
    private final Set<Object> walkedDirs = new HashSet<>();
    private int found;
    private int errors;

    private InputWalker(Accept accept) {
        this.accept = accept;
    }

    public static Walk walk(List<Path> args, Accept accept) {
        InputWalker w = new InputWalker(accept);
        List<Root> roots = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            roots.add(w.root(args.get(i), i));
        }
        return new Walk(w.inputs, roots, w.warnings);
    }

    private Root root(Path arg, int index) {
        found = 0;
        errors = 0;
        String display = FileNames.display(arg);
        String key = FileNames.display(arg.toAbsolutePath().normalize());
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(arg, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            String why = Files.isSymbolicLink(arg) ? "dangling symbolic link" : "no such file or directory";
            if (display.indexOf('\uFFFD') >= 0) {
                why += " (the name is not valid in this locale: name the directory that holds it instead)";
            }
            inputs.add(new Input(arg, display, key, true, 0, 0, why, index));
            return new Root(display, key, true, false, 0, 1);
        } catch (IOException e) {
            inputs.add(new Input(arg, display, key, true, 0, 0, "cannot read: " + FileNames.reason(e), index));
            return new Root(display, key, false, false, 0, 1);
        }
        if (a.isDirectory()) {
            walkedDirs.add(fileKey(a, arg));
            Set<Object> ancestors = new HashSet<>();
            ancestors.add(fileKey(a, arg));
            directory(arg, display, key, ancestors, index);
            if (found == 0 && errors == 0) {
                warnings.add(display + ": " + accept.nothingFound);
            }
            return new Root(display, key, false, true, found, errors);
        }
        if (!a.isRegularFile()) {
            inputs.add(new Input(arg, display, key, true, 0, 0, "not a regular file (" + kind(arg) + ")", index));
            return new Root(display, key, false, false, 0, 1);
        }
        if (files.add(fileKey(a, arg))) {
            inputs.add(new Input(arg, display, key, true, a.size(), mtime(a), null, index));
            found++;
        }
        return new Root(display, key, false, false, found, 0);
    }

    /** A directory entry with what the walk needs to order and take it. */
    private record Child(Path path, String name, byte[] order, BasicFileAttributes attrs) {
    }

    private void directory(Path dir, String display, String key, Set<Object> ancestors, int root) {
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                String name = FileNames.name(c);
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(c, BasicFileAttributes.class);
                } catch (NoSuchFileException e) {
                    if (Files.isSymbolicLink(c)) {
                        errors++;
                        warnings.add(join(display, name) + ": dangling symbolic link" + linkTarget(c));
                    }
                    continue; // else gone since the listing
                } catch (IOException e) {
                    if (Files.isSymbolicLink(c) && FileNames.reason(e).contains("symbolic links")) {
                        warnings.add(join(display, name) + ": symbolic link loop; not followed"); // ELOOP
                        continue;
                    }
                    errors++;
                    inputs.add(new Input(c, join(display, name), join(key, name), false, 0, 0,
                            "cannot read: " + FileNames.reason(e), root));
                    continue;
                }
                byte[] bytes = FileNames.bytes(name);
                if (a.isDirectory()) {
                    bytes = Arrays.copyOf(bytes, bytes.length + 1);
                    bytes[bytes.length - 1] = '/';
                }
                children.add(new Child(c, name, bytes, a));
            }
        } catch (IOException e) {
            errors++;
            inputs.add(new Input(dir, display, key, false, 0, 0, "cannot list directory: " + FileNames.reason(e), root));
            return;
        }
        children.sort((x, y) -> Arrays.compareUnsigned(x.order, y.order));
        for (Child c : children) {
            String cd = join(display, c.name);
            String ck = join(key, c.name);
            BasicFileAttributes a = c.attrs;
            Object fk = fileKey(a, c.path);
            if (a.isDirectory()) {
                if (ancestors.contains(fk)) {
                    warnings.add(cd + ": symbolic link loop (back to a directory being walked); not followed");
                } else if (walkedDirs.add(fk)) {
                    ancestors.add(fk);
                    directory(c.path, cd, ck, ancestors, root);
                    ancestors.remove(fk);
                }
                // else: walked already under another name, whose files come first in walk order
            } else if (a.isRegularFile() && !files.contains(fk)) {
                String problem = accepts(c.path, a);
                if (problem == null || !problem.isEmpty()) {
                    files.add(fk);
                    if (problem == null) {
                        inputs.add(new Input(c.path, cd, ck, false, a.size(), mtime(a), null, root));
                        found++;
                    } else {
                        errors++;
                        inputs.add(new Input(c.path, cd, ck, false, a.size(), mtime(a), problem, root));
                    }
                }
            }
            // FIFOs, devices and sockets inside a directory are not packages: never opened.
        }
    }

    private static String join(String dir, String name) {
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** null: take it; "": not ours, skip; else why it cannot be told (an unreadable file is never skipped silently). */
    private String accepts(Path p, BasicFileAttributes a) {
        if (a.size() == 0) {
            return isPackageName(p) ? null : "";
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(p)) {
            head = in.readNBytes(PackageFormat.MAGIC_BYTES);
        } catch (IOException e) {
            return "cannot open: " + FileNames.reason(e);
        }
        if (PackageFormat.detect(head, head.length).isPresent()) {
            return null;
        }
        if (accept == Accept.PACKAGES_AND_ELF && ElfFile.looksLikeElf(ByteBuffer.wrap(head))) {
            return null;
        }
        // Named like a package but not one by its bytes (truncated to nothing, an HTML error page saved
        // by a mirror script): taken, so the reader says why, never skipped silently.
        return isPackageName(p) ? null : "";
    }

    private static final List<String> PACKAGE_SUFFIXES = List.of(".deb", ".udeb", ".ddeb", ".rpm");

    private static boolean isPackageName(Path p) {
        String n = FileNames.name(p).toLowerCase(java.util.Locale.ROOT);
        return PACKAGE_SUFFIXES.stream().anyMatch(n::endsWith);
    }

    private static Object fileKey(BasicFileAttributes a, Path p) {
        Object k = a.fileKey();
        return k != null ? k : p.toAbsolutePath().normalize(); // file systems without inodes: the path itself
    }

    private static long mtime(BasicFileAttributes a) {
        return a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    private static String linkTarget(Path link) {
        try {
            return " to " + FileNames.display(Files.readSymbolicLink(link));
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static String kind(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            if (a.isOther()) {
                Object mode = Files.getAttribute(p, "unix:mode");
                int m = mode instanceof Integer i ? i : 0;
                return switch (m & 0170000) {
                    case 0010000 -> "a FIFO";
                    case 0020000 -> "a character device";
                    case 0060000 -> "a block device";
                    case 0140000 -> "a socket";
                    default -> "a special file";
                };
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // fall through
        }
        return "a special file";
    }

    /** File names as bytes, shown as UTF-8 with {@code \xNN} for bytes that are not (never the locale's guess). */
    public static final class FileNames {
        private FileNames() {
        }

        /** A whole path (relative or absolute) for display and as an index key. */
        public static String display(Path p) {
            String s = p.toString();
            if (isPlain(s)) {
                return s;
            }
            StringBuilder sb = new StringBuilder();
            if (p.isAbsolute()) {
                sb.append('/');
            }
            for (int i = 0; i < p.getNameCount(); i++) {
                if (i > 0) {
                    sb.append('/');
                }
                sb.append(name(p.getName(i)));
            }
            return sb.length() == 0 ? s : sb.toString();
        }

        /** The last name of {@code p}, from its raw bytes. */
        static String name(Path p) {
            Path fn = p.getFileName();
            if (fn == null) {
                return p.toString();
            }
            String s = fn.toString();
            if (isPlain(s)) {
                return s;
            }
            // The platform decoded the name with the locale's charset, which loses bytes (no LANG: every
            // byte over 0x7f is '?'). A file URI percent-encodes the path's raw bytes: decode those.
            String raw = fn.toUri().getRawPath();
            raw = raw.substring(raw.lastIndexOf('/') + 1);
            return decode(percentDecode(raw));
        }

        /** ASCII without '?' and U+FFFD: what every locale decodes alike. */
        private static boolean isPlain(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x80 || c == '?') {
                    return false;
                }
            }
            return true;
        }

        private static byte[] percentDecode(String raw) {
            byte[] out = new byte[raw.length()];
            int n = 0;
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '%' && i + 2 < raw.length()) {
                    out[n++] = (byte) Integer.parseInt(raw.substring(i + 1, i + 3), 16);
                    i += 2;
                } else {
                    out[n++] = (byte) c;
                }
            }
            return Arrays.copyOf(out, n);
        }

        /** UTF-8, with each byte of an invalid sequence written {@code \xNN}. */
        static String decode(byte[] b) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
            } catch (CharacterCodingException e) {
                StringBuilder sb = new StringBuilder();
                int i = 0;
                while (i < b.length) {
                    int len = utf8Length(b, i);
                    if (len > 0) {
                        sb.append(new String(b, i, len, StandardCharsets.UTF_8));
                        i += len;
                    } else {
                        sb.append(String.format("\\x%02x", b[i] & 0xff));
                        i++;
                    }
                }
                return sb.toString();
            }
        }

        /** Length of the valid UTF-8 sequence at {@code i}, or 0. */
        private static int utf8Length(byte[] b, int i) {
            int c = b[i] & 0xff;
            int len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
            if (len == 0 || i + len > b.length) {
                return 0;
            }
            for (int k = 1; k < len; k++) {
                if ((b[i + k] & 0xc0) != 0x80) {
                    return 0;
                }
            }
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b, i, len)); // overlongs and surrogates
                return len;
            } catch (CharacterCodingException e) {
                return 0;
            }
        }

        /** The bytes of a display name, for ordering: {@code \xNN} stands for byte NN again. */
        static byte[] bytes(String name) {
            if (name.indexOf('\\') < 0) {
                return name.getBytes(StandardCharsets.UTF_8);
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < name.length(); ) {
                if (name.startsWith("\\x", i) && i + 4 <= name.length()) {
                    try {
                        out.write(Integer.parseInt(name.substring(i + 2, i + 4), 16));
                        i += 4;
                        continue;
                    } catch (NumberFormatException e) {
                        // a literal backslash
                    }
                }
                int cp = name.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
            return out.toByteArray();
        }

        /** An I/O failure's reason: the OS's words ("Permission denied"), not Java's class name. */
        public static String reason(IOException e) {
            if (e instanceof AccessDeniedException) {
                return "Permission denied";
            }
            if (e instanceof NoSuchFileException) {
                return "No such file or directory";
            }
            if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
                return fse.getReason();
            }
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }
}
