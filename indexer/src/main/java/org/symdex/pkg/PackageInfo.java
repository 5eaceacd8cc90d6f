package org.symdex.pkg;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A package's own metadata, from the .deb control file or the rpm header.
 *
 * @param epoch empty when the package has none
 * @param release the Debian revision or rpm RELEASE; "" for a native Debian version
 * @param sourcePackage Debian Source (defaults to Package, as dpkg does) or rpm SOURCERPM;
 *     empty for a source rpm, which is how rpm itself tells the two apart
 * @param multiArch Debian Multi-Arch; empty for rpm
 * @param installedSize bytes once installed (Debian's Installed-Size is KiB, multiplied out), or -1
 * @param payloadCompressor of data.tar or the rpm payload
 * @param provides declared provides, in header/control order
 * @param requires declared requires (Debian: Pre-Depends then Depends), in header/control order
 */
public record PackageInfo(
        PackageFormat format,
        String name,
        Optional<Integer> epoch,
        String version,
        String release,
        String arch,
        Optional<String> sourcePackage,
        Optional<String> multiArch,
        long installedSize,
        Codec payloadCompressor,
        List<Dependency> provides,
        List<Dependency> requires) {

    public PackageInfo {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(sourcePackage, "sourcePackage");
        Objects.requireNonNull(multiArch, "multiArch");
        Objects.requireNonNull(payloadCompressor, "payloadCompressor");
        provides = List.copyOf(provides);
        requires = List.copyOf(requires);
    }

    /** An rpm without SOURCERPM is a source package; its requires are build requirements. */
    public boolean isSourceRpm() {
        return format == PackageFormat.RPM && sourcePackage.isEmpty();
    }

    /** name-[epoch:]version[-release].arch, as package managers print it. */
    public String nevra() {
        StringBuilder sb = new StringBuilder(name).append('-');
        epoch.ifPresent(e -> sb.append(e).append(':'));
        sb.append(version);
        if (!release.isEmpty()) {
            sb.append('-').append(release);
        }
        return sb.append('.').append(arch).toString();
    }
}
