package org.symdex.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * Expands command-line paths into the files to read, in argument order; a directory contributes the files
 * under it that {@code accept} takes, walked in bytewise path order. Inside directories symlinks are not
 * followed: rpmbuild never hands a symlink to elfdeps, and a mirror's symlinks point at files it also
 * holds. A file named on the command line is taken as it is, symlink or not.
 */
final class InputWalker {
    /**
     * One input: the path as the user would write it, or a problem with it; {@code size} is its length in
     * bytes as the walk found it (for largest-first scheduling and progress), 0 when it could not be told.
     */
    record Input(Path path, String display, boolean named, String problem, long size) {
    }

    private InputWalker() {
    }

    static List<Input> expand(List<Path> args, Predicate<Path> accept) {
        List<Input> out = new ArrayList<>();
        for (Path arg : args) {
            String display = arg.toString();
            if (!Files.exists(arg)) {
                out.add(new Input(arg, display, true, "no such file or directory", 0));
            } else if (Files.isDirectory(arg)) {
                walk(arg, accept, out);
            } else {
                out.add(new Input(arg, display, true, null, sizeOf(arg)));
            }
        }
        return out;
    }

    private static void walk(Path dir, Predicate<Path> accept, List<Input> out) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        } catch (IOException e) {
            out.add(new Input(dir, dir.toString(), false, "cannot list directory: " + e.getMessage(), 0));
            return;
        }
        children.sort(Comparator.comparing(p -> ByteStrings.of(p.getFileName().toString())));
        for (Path c : children) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(c, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                continue; // gone since the listing, or unreadable: skipped, as a non-regular file is
            }
            if (a.isDirectory()) {
                walk(c, accept, out);
            } else if (a.isRegularFile() && accept.test(c)) {
                out.add(new Input(c, c.toString(), false, null, a.size()));
            }
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // the read will say why
        }
    }
}
