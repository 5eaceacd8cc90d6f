package org.symdex.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.symdex.index.PackageStamp;

/**
 * The first pass of a run (OpenGrok's indexDown): finds the package files under the given paths and
 * stats them, so the second pass knows what to read and the progress bar has a total.
 *
 * <p>In a directory, regular files named *.deb, *.udeb, *.ddeb or *.rpm are taken, walked in bytewise
 * path order; symlinks are not followed (a mirror's symlinks point at files it also holds). A file
 * named on the command line is taken whatever its name: the reader detects the format by magic.
 */
final class PackageWalker {
    private static final List<String> SUFFIXES = List.of(".deb", ".udeb", ".ddeb", ".rpm");

    /** A package file found, with its stamp (label not yet applied). */
    record Found(Path path, PackageStamp stamp) {
    }

    /** The walk: packages by absolute path (in walk order, no duplicates), and paths that could not be walked. */
    record Result(List<Found> found, List<RunReport.Failure> problems, List<Path> roots) {
        Result {
            found = List.copyOf(found);
            problems = List.copyOf(problems);
            roots = List.copyOf(roots);
        }
    }

    private PackageWalker() {
    }

    /**
     * @param label applied to every stamp
     * @return roots holds the absolute normalised paths that exist (the ones --prune may prune under)
     */
    static Result walk(List<Path> args, String label) {
        Map<String, Found> found = new LinkedHashMap<>();
        List<RunReport.Failure> problems = new ArrayList<>();
        List<Path> roots = new ArrayList<>();
        for (Path arg : args) {
            Path abs = arg.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                problems.add(new RunReport.Failure(abs.toString(), "no such file or directory"));
            } else if (Files.isDirectory(abs)) {
                roots.add(abs);
                walkDir(abs, label, found, problems);
            } else {
                roots.add(abs);
                add(abs, label, found, problems);
            }
        }
        return new Result(new ArrayList<>(found.values()), problems, roots);
    }

    static boolean isPackageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return SUFFIXES.stream().anyMatch(n::endsWith);
    }

    private static void walkDir(Path dir, String label, Map<String, Found> found, List<RunReport.Failure> problems) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(children::add);
        } catch (IOException e) {
            problems.add(new RunReport.Failure(dir.toString(), "cannot list directory: " + e.getMessage()));
            return;
        }
        // Bytewise order of the names, so walks (and so commits and reports) do not depend on the file system.
        children.sort(Comparator.comparing(c -> c.getFileName().toString().getBytes(StandardCharsets.UTF_8),
                Arrays::compareUnsigned));
        for (Path c : children) {
            if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
                walkDir(c, label, found, problems);
            } else if (Files.isRegularFile(c, LinkOption.NOFOLLOW_LINKS) && isPackageName(c)) {
                add(c, label, found, problems);
            }
        }
    }

    private static void add(Path p, String label, Map<String, Found> found, List<RunReport.Failure> problems) {
        String key = p.toString();
        if (found.containsKey(key)) {
            return;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            found.put(key, new Found(p, new PackageStamp(key, a.size(), mtime, label)));
        } catch (IOException e) {
            problems.add(new RunReport.Failure(key, "cannot stat: " + e.getMessage()));
        }
    }
}
