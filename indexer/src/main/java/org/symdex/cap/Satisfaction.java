package org.symdex.cap;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which provide satisfies which requirement: the one rule that {@code broken}, the capability queries,
 * the recursive reverse-dependency walk and both archive views of the upgrade report follow. Pure
 * functions of strings, so the index (terms of scoped fields) and the in-memory archive (maps keyed by
 * scope) ask the same questions and get the same answers; {@code SatisfactionTest} holds the table.
 *
 * <p>A scope is written as {@link Scope#toString()} ({@code x86-64/64}), {@link #ANY} for the declared
 * capabilities of an architecture-independent rpm, or {@code arch:NAME} for those of an architecture
 * symdex does not know (which then match no ELF scope: better unsatisfied than wrongly satisfied).
 *
 * <p>The rules:
 * <ol>
 * <li>A requirement of scope S is satisfied by a provide of scope S or of {@link #ANY}; a requirement of
 *     scope {@link #ANY} (declared by a noarch rpm) by a provide of any scope ({@link #satisfies}).</li>
 * <li>A glibc dynamic loader ({@code ld-linux*}, {@code ld64.so*}, {@code ld.so*}) also provides
 *     {@code rtld(GNU_HASH)} in its scope: elfdeps requires it of every GNU_HASH-only object, and glibc's
 *     rpm declares it by hand; a Debian archive has no header to declare it
 *     ({@link #providesRtld}).</li>
 * <li>ld.so finds a file by its DT_SONAME, else by its base name ({@link #lookupName}).</li>
 * <li>A version node V of soname L is the capability {@code L(V)} with elfdeps' 64-bit marker
 *     ({@link #versionCapability}).</li>
 * <li>Of an rpm header's declared requirements, only the elfdeps-shaped ones are judged
 *     ({@link #isJudged}); {@code rpmlib()}, paths, package names and {@code perl(...)} belong to other
 *     generators.</li>
 * </ol>
 */
public final class Satisfaction {
    /** Scope of the declared capabilities of noarch (rpm) and all (Debian) packages. */
    public static final String ANY = "any";
    /** The literal requirement elfdeps adds for GNU_HASH-only objects (capabilities.md §2.9.1). */
    public static final String RTLD_GNU_HASH = CapabilityDeriver.RTLD_GNU_HASH;

    /** Sonames of glibc's dynamic loader on every architecture glibc supports. */
    private static final List<String> LOADER_PREFIXES = List.of("ld-linux", "ld64.so", "ld.so");
    private static final String MARKER_64 = "(64bit)";
    private static final Pattern ELFDEPS_SHAPE =
            Pattern.compile("[^()/\\s]*\\.so[^()/\\s]*(\\([^()]*\\)(\\(64bit\\))?)?");

    private Satisfaction() {
    }

    /** Whether a provide of {@code providerScope} satisfies a requirement of {@code requirementScope}. */
    public static boolean satisfies(String providerScope, String requirementScope) {
        return providerScope.equals(requirementScope) || providerScope.equals(ANY) || requirementScope.equals(ANY);
    }

    /**
     * The provider scopes to look a requirement of {@code requirementScope} up in, when it is not
     * {@link #ANY} (that one is looked up in every scope present: {@link #satisfies}).
     */
    public static List<String> providerScopes(String requirementScope) {
        return requirementScope.equals(ANY) ? List.of(ANY) : List.of(requirementScope, ANY);
    }

    /**
     * The scope of a package architecture's declared capabilities, Debian's or rpm's name: the ELF scope
     * it stands for, {@link #ANY} for all/noarch, {@code arch:NAME} for an unknown one.
     */
    public static String declaredScope(String arch) {
        Scope s = Scope.ofArch(arch);
        if (s != null) {
            return s.toString();
        }
        String a = arch.toLowerCase(Locale.ROOT);
        return a.equals("all") || a.equals("noarch") ? ANY : "arch:" + arch;
    }

    /** Whether a soname is glibc's dynamic loader. */
    public static boolean isLoader(String soname) {
        for (String p : LOADER_PREFIXES) {
            if (soname.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a file with these elfdeps provides also provides {@code rtld(GNU_HASH)}: it provides a
     * loader's soname ({@code ld-linux-x86-64.so.2()(64bit)}, {@code ld.so.1}) and not already the
     * capability itself.
     */
    public static boolean providesRtld(List<String> provides) {
        boolean loader = false;
        for (String c : provides) {
            if (c.equals(RTLD_GNU_HASH)) {
                return false; // already there, nothing to add
            }
            loader |= isLoader(sonameOf(c));
        }
        return loader;
    }

    /** The soname part of a capability: {@code libc.so.6(GLIBC_2.34)(64bit)} gives {@code libc.so.6}. */
    public static String sonameOf(String capability) {
        int paren = capability.indexOf('(');
        return paren < 0 ? capability : capability.substring(0, paren);
    }

    /** The name ld.so finds a file by: DT_SONAME when it has a non-empty one, else the path's base name. */
    public static String lookupName(String soname, String path) {
        return soname == null || soname.isEmpty() ? path.substring(path.lastIndexOf('/') + 1) : soname;
    }

    /**
     * The capability elfdeps writes for version node {@code version} of {@code soname} in {@code scope}
     * (capabilities.md §2.2: the 64-bit marker on ELFCLASS64 except alpha).
     */
    public static String versionCapability(String soname, String version, Scope scope) {
        boolean marker = scope.bits() == 64 && !scope.machine().equals("alpha");
        return soname + "(" + version + ")" + (marker ? MARKER_64 : "");
    }

    /**
     * Whether a declared rpm requirement has the shape elfdeps writes, and so is judged: {@code
     * rtld(GNU_HASH)}, or a soname (no '/', holding ".so") optionally followed by {@code (VERSION)} and
     * {@code (64bit)}: {@code libc.so.6}, {@code libc.so.6(GLIBC_2.0)}, {@code libm.so.6()(64bit)}. An
     * ELF file's requirement is always judged.
     */
    public static boolean isJudged(String declaredRequirement) {
        return declaredRequirement.equals(RTLD_GNU_HASH) || ELFDEPS_SHAPE.matcher(declaredRequirement).matches();
    }
}
