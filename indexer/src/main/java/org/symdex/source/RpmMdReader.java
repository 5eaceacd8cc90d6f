package org.symdex.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.symdex.io.NonClosingInputStream;

/**
 * Reads an rpm-md repository: {@code repodata/repomd.xml}, then the {@code primary} data it names,
 * checked against its checksum and size while it streams and decompressed by its name's suffix,
 * then {@code primary.xml} streamed with StAX (createrepo_c's format: one {@code <package
 * type="rpm">} per package, in the {@code http://linux.duke.edu/metadata/common} namespace).
 *
 * <p>XML from a repository is untrusted: DTDs and external entities are off, and any DOCTYPE is
 * the source's failure (billion laughs, XXE); a text or tag over 1 MiB is refused before the
 * parser buffers it ({@link GuardedInputStream}).
 */
final class RpmMdReader {
    static final String REPO_NS = "http://linux.duke.edu/metadata/repo";
    static final String COMMON_NS = "http://linux.duke.edu/metadata/common";
    static final String RPM_NS = "http://linux.duke.edu/metadata/rpm";
    private static final String XML_NS = "http://www.w3.org/XML/1998/namespace";

    /** repomd.xml is a few KB; Fedora's is 20 KB. */
    static final int MAX_REPOMD_BYTES = 16 << 20;

    private RpmMdReader() {
    }

    /**
     * The primary data as repomd.xml describes it.
     *
     * @param uri where it is ({@code location href} against the repository or {@code xml:base})
     * @param href the location as written, for its suffix
     * @param checksum its declared checksum
     * @param size its declared size, or -1
     * @param openSize its declared decompressed size, or -1
     * @param label the label its packages carry
     */
    record Primary(URI uri, String href, Checksum checksum, long size, long openSize, String label) {
    }

    static SourceHead open(SourceSpec spec, Fetcher fetcher, SourceFilter filter) throws SourceException {
        URI repomdUri = spec.uri().resolve("repodata/repomd.xml");
        String where = repomdUri.toString();
        byte[] bytes = readRepomd(fetcher, repomdUri);
        Optional<SignedBy> keys = SignedBy.of(spec);
        List<String> notes = new ArrayList<>();
        if (keys.isPresent()) {
            // dnf's repo_gpgcheck: a detached, armored signature beside repomd.xml.
            URI ascUri = spec.uri().resolve("repodata/repomd.xml.asc");
            byte[] asc = DebReader.readSmall(fetcher, ascUri);
            if (asc == null) {
                throw source(where, "not signed (no repomd.xml.asc), and signed-by= asks for a signature");
            }
            ReleaseSignature.verifyDetached(bytes, asc, keys.get(), ascUri.toString());
        } else {
            notes.add(where + ": metadata not signature-checked (no signed-by=)");
        }
        String revision = null;
        String href = null;
        String base = null;
        String type = null;
        String hex = null;
        long size = -1;
        long openSize = -1;
        try {
            XMLStreamReader r = factory().createXMLStreamReader(new ByteArrayInputStream(bytes));
            try {
                root(r, where, REPO_NS, "repomd");
                boolean inPrimary = false;
                boolean seen = false;
                while (r.hasNext()) {
                    int ev = next(r, where);
                    if (ev == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("data")) {
                        inPrimary = false;
                    }
                    if (ev != XMLStreamConstants.START_ELEMENT) {
                        continue;
                    }
                    String ln = r.getLocalName();
                    if (ln.equals("revision") && REPO_NS.equals(r.getNamespaceURI()) && revision == null) {
                        revision = r.getElementText().strip();
                    } else if (ln.equals("data") && REPO_NS.equals(r.getNamespaceURI())) {
                        // The first primary counts; createrepo_c writes one.
                        inPrimary = !seen && "primary".equals(r.getAttributeValue(null, "type"));
                        seen |= inPrimary;
                    } else if (inPrimary) {
                        switch (ln) {
                            case "location" -> {
                                href = r.getAttributeValue(null, "href");
                                base = r.getAttributeValue(XML_NS, "base");
                            }
                            case "checksum" -> {
                                type = r.getAttributeValue(null, "type");
                                hex = r.getElementText();
                            }
                            case "size" -> size = number(r.getElementText(), where, "primary size");
                            case "open-size" -> openSize = number(r.getElementText(), where, "primary open-size");
                            default -> {
                                // open-checksum, timestamp: the compressed checksum is what we check
                            }
                        }
                    }
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            throw xml(where, e);
        }
        if (href == null) {
            throw new SourceException(SourceException.Kind.SOURCE, where, "no primary data with a location");
        }
        String problem = RelativePaths.problem(href);
        if (problem != null) {
            throw new SourceException(SourceException.Kind.SOURCE, where, "primary location '" + href + "': " + problem);
        }
        final String t = type;
        Checksum checksum = Checksum.parse(type, hex).orElseThrow(() -> new SourceException(
                SourceException.Kind.SOURCE, where, "primary has no usable checksum (type " + t + ")"));
        if (IndexCompression.forRpmLocation(href).isEmpty()) {
            throw new SourceException(SourceException.Kind.SOURCE, where, "primary '" + href
                    + "': compression not supported (.gz, .xz, .zst, .bz2 or plain .xml)");
        }
        URI primaryUri = RelativePaths.resolve(base == null ? spec.uri() : xmlBase(base, spec.uri(), where), href);
        String label = Labels.rpm(spec.id().orElseGet(() -> lastSegment(spec.uri())), spec.basearch());
        if (!filter.sections().isEmpty()) {
            notes.add(spec.uri() + ": --section does not apply to rpm-md (no Section); every package is kept");
        }
        String sha = DebReader.hex(Checksum.digest("sha256").digest(bytes));
        return new SourceHead(spec, List.of(label), repomdUri, sha, filter, Optional.empty(),
                Optional.ofNullable(revision).filter(v -> !v.isEmpty()), notes, List.of(),
                new Primary(primaryUri, href, checksum, size, openSize, label));
    }

    static SourceListing list(SourceHead head, Fetcher fetcher, SourceFilter filter) throws SourceException {
        Primary p = head.primary;
        String where = p.uri().toString();
        PackageCollector out = new PackageCollector(SourceReader.MAX_PACKAGES_PER_SOURCE);
        out.readingFrom(where);
        List<String> labels = out.labels(List.of(p.label()));
        Fetched f;
        try {
            f = fetcher.open(p.uri()).orElseThrow(() -> new SourceException(SourceException.Kind.SOURCE, where,
                    "named in repomd.xml but not found"));
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.SOURCE, where, "cannot read: " + e.getMessage(), e);
        }
        VerifyingInputStream raw = new VerifyingInputStream(f.stream(), where, p.size(), p.checksum(),
                SourceException.Kind.SOURCE);
        try (raw) {
            IndexCompression codec = IndexCompression.forRpmLocation(p.href()).orElseThrow();
            InputStream xml = new GuardedInputStream(codec.decode(raw), where,
                    p.openSize() >= 0 ? p.openSize() : SourceReader.DEFAULT_MAX_INDEX_BYTES, p.openSize() >= 0,
                    SourceReader.MAX_FIELD_BYTES);
            // The JDK's parser closes its input at the end of the document; verify() still reads it.
            XMLStreamReader r = factory().createXMLStreamReader(new NonClosingInputStream(xml));
            try {
                parsePrimary(r, where, head.spec(), labels, filter, out);
            } finally {
                r.close();
            }
            raw.verify();
        } catch (XMLStreamException e) {
            throw xml(where, e);
        } catch (IOException e) {
            if (e.getCause() instanceof SourceException se) {
                throw se;
            }
            throw new SourceException(SourceException.Kind.SOURCE, where, "cannot read: " + e.getMessage(), e);
        }
        return new SourceListing(head.spec(), head.labels(), head.skipKey(), out.packages(), head.notes());
    }

    /** The fields of one {@code <package>} as they arrive. */
    private static final class Pkg {
        String name;
        String arch;
        String epoch;
        String ver;
        String rel;
        String checksumType;
        String checksum;
        String size;
        String href;
        String base;
        String sourcerpm;
        int line;
    }

    private static void parsePrimary(XMLStreamReader r, String where, SourceSpec spec, List<String> labels,
            SourceFilter filter, PackageCollector out) throws XMLStreamException, SourceException {
        root(r, where, COMMON_NS, "metadata");
        Pkg p = null;
        StringBuilder text = null;
        String capture = null;
        while (r.hasNext()) {
            int ev = next(r, where);
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT -> {
                    String ln = r.getLocalName();
                    String ns = r.getNamespaceURI();
                    if (p == null) {
                        if (ln.equals("package") && COMMON_NS.equals(ns)) {
                            if ("rpm".equals(r.getAttributeValue(null, "type"))) {
                                p = new Pkg();
                                p.line = r.getLocation().getLineNumber();
                            } else {
                                skipElement(r, where);
                            }
                        }
                        continue;
                    }
                    if (COMMON_NS.equals(ns)) {
                        switch (ln) {
                            case "name", "arch", "checksum" -> {
                                capture = ln;
                                text = new StringBuilder();
                                if (ln.equals("checksum")) {
                                    p.checksumType = r.getAttributeValue(null, "type");
                                }
                            }
                            case "version" -> {
                                p.epoch = r.getAttributeValue(null, "epoch");
                                p.ver = r.getAttributeValue(null, "ver");
                                p.rel = r.getAttributeValue(null, "rel");
                            }
                            case "size" -> p.size = r.getAttributeValue(null, "package");
                            case "location" -> {
                                p.href = r.getAttributeValue(null, "href");
                                p.base = r.getAttributeValue(XML_NS, "base");
                            }
                            default -> {
                                // summary, description, time, format...: not ours
                            }
                        }
                    } else if (RPM_NS.equals(ns) && ln.equals("sourcerpm")) {
                        capture = ln;
                        text = new StringBuilder();
                    }
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (text != null) {
                        text.append(r.getTextCharacters(), r.getTextStart(), r.getTextLength());
                    }
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    if (p == null) {
                        continue;
                    }
                    String ln = r.getLocalName();
                    if (capture != null && ln.equals(capture)) {
                        String v = text.toString().trim();
                        switch (capture) {
                            case "name" -> p.name = v;
                            case "arch" -> p.arch = v;
                            case "checksum" -> p.checksum = v;
                            default -> p.sourcerpm = v;
                        }
                        capture = null;
                        text = null;
                    } else if (ln.equals("package") && COMMON_NS.equals(r.getNamespaceURI())) {
                        ListedPackage lp = build(p, where, spec, labels, out);
                        if (filter.matches(SourceKind.RPM_MD, lp.name(), lp.section())) {
                            out.add(lp);
                        }
                        p = null;
                    }
                }
                default -> {
                    // comments, processing instructions, end of document
                }
            }
        }
    }

    private static ListedPackage build(Pkg p, String where, SourceSpec spec, List<String> labels,
            PackageCollector out) throws SourceException {
        String who = "package at line " + p.line + (p.name == null ? "" : " (" + p.name + ")");
        if (p.name == null || p.name.isEmpty()) {
            throw source(where, who + ": no name");
        }
        if (p.arch == null || p.arch.isEmpty()) {
            throw source(where, who + ": no arch");
        }
        if (p.ver == null || p.rel == null) {
            throw source(where, who + ": no version ver= and rel=");
        }
        Checksum c = Checksum.parse(p.checksumType, p.checksum)
                .orElseThrow(() -> source(where, who + ": no usable checksum (type " + p.checksumType + ")"));
        long size = p.size == null ? -1 : DebRelease.parseSize(p.size);
        if (size < 0) {
            throw source(where, who + ": no size package=");
        }
        if (p.href == null) {
            throw source(where, who + ": no location");
        }
        String problem = RelativePaths.problem(p.href);
        if (problem != null) {
            throw source(where, who + ": location '" + p.href + "': " + problem);
        }
        URI base = p.base == null ? spec.uri() : xmlBase(p.base, spec.uri(), where);
        String epoch = p.epoch == null || p.epoch.isEmpty() || p.epoch.equals("0") ? "" : p.epoch + ":";
        return new ListedPackage(p.name, epoch + p.ver + "-" + p.rel, out.intern(p.arch),
                sourceName(p.sourcerpm, p.name), "", base, p.href, size, c, labels);
    }

    /** "glibc-2.39-22.fc40.src.rpm" is glibc's: drop ".src.rpm", then the release and the version. */
    static String sourceName(String srpm, String name) {
        if (srpm == null || srpm.isEmpty()) {
            return name;
        }
        String s = srpm;
        for (String suffix : new String[] {".src.rpm", ".nosrc.rpm"}) {
            if (s.endsWith(suffix)) {
                s = s.substring(0, s.length() - suffix.length());
            }
        }
        for (int k = 0; k < 2; k++) {
            int dash = s.lastIndexOf('-');
            if (dash <= 0) {
                return name;
            }
            s = s.substring(0, dash);
        }
        return s.equals(name) ? name : s;
    }

    /**
     * {@code xml:base} (createrepo_c {@code --baseurl}): an absolute URI the location is relative
     * to. A remote repository may not send us to local files: a file: base is accepted only in a
     * file: repository.
     */
    static URI xmlBase(String base, URI repo, String where) throws SourceException {
        URI u;
        try {
            u = new URI(base.endsWith("/") ? base : base + "/");
        } catch (URISyntaxException e) {
            throw source(where, "xml:base '" + base + "': " + e.getReason());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!u.isAbsolute() || u.isOpaque() || !List.of("file", "http", "https").contains(scheme)) {
            throw source(where, "xml:base '" + base + "': not an absolute file:, http: or https: URI");
        }
        if (scheme.equals("file") && !"file".equalsIgnoreCase(repo.getScheme())) {
            throw source(where, "xml:base '" + base + "': a remote repository may not point at local files");
        }
        String problem = u.getPath() == null ? null : RelativePaths.problem(u.getPath().substring(1));
        if (problem != null && problem.contains("..")) {
            throw source(where, "xml:base '" + base + "': " + problem);
        }
        return u;
    }

    private static String lastSegment(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (!last.isEmpty()) {
            return last;
        }
        return uri.getHost() == null ? "repo" : uri.getHost();
    }

    /**
     * The JDK's own StAX parser (not whatever the class path offers), with DTDs and external
     * entities off and a resolver that refuses everything; {@link #next} refuses a DOCTYPE outright.
     */
    static XMLInputFactory factory() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException("external entity " + systemId + " refused");
        });
        return f;
    }

    private static int next(XMLStreamReader r, String where) throws XMLStreamException, SourceException {
        int ev = r.next();
        if (ev == XMLStreamConstants.DTD) {
            throw source(where, "XML DOCTYPE not allowed");
        }
        if (ev == XMLStreamConstants.ENTITY_REFERENCE) {
            throw source(where, "XML entity reference &" + r.getLocalName() + "; not allowed");
        }
        return ev;
    }

    private static void root(XMLStreamReader r, String where, String ns, String name)
            throws XMLStreamException, SourceException {
        while (r.hasNext()) {
            int ev = r.getEventType();
            if (ev == XMLStreamConstants.DTD) {
                throw source(where, "XML DOCTYPE not allowed");
            }
            if (ev == XMLStreamConstants.START_ELEMENT) {
                if (!name.equals(r.getLocalName()) || !ns.equals(r.getNamespaceURI())) {
                    throw source(where, "root element {" + java.util.Objects.toString(r.getNamespaceURI(), "") + "}" + r.getLocalName()
                            + ", expected {" + ns + "}" + name);
                }
                return;
            }
            next(r, where);
        }
        throw source(where, "no root element");
    }

    private static void skipElement(XMLStreamReader r, String where) throws XMLStreamException, SourceException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int ev = next(r, where);
            if (ev == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private static long number(String v, String where, String what) throws SourceException {
        long n = DebRelease.parseSize(v.trim());
        if (n < 0) {
            throw source(where, what + " '" + v + "' is not a number");
        }
        return n;
    }

    private static byte[] readRepomd(Fetcher fetcher, URI uri) throws SourceException {
        try {
            Optional<Fetched> f = fetcher.open(uri);
            if (f.isEmpty()) {
                throw source(uri.toString(), "not found (is the URI the directory that holds repodata/?)");
            }
            try (Fetched in = f.get()) {
                byte[] b = in.stream().readNBytes(MAX_REPOMD_BYTES + 1);
                if (b.length > MAX_REPOMD_BYTES) {
                    throw source(uri.toString(), "over " + (MAX_REPOMD_BYTES >> 20) + " MiB; not a repomd.xml");
                }
                return b;
            }
        } catch (IOException e) {
            throw new SourceException(SourceException.Kind.SOURCE, uri.toString(), "cannot read: " + e.getMessage(), e);
        }
    }

    private static SourceException xml(String where, XMLStreamException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        // The JDK prefixes "ParseError at [row,col]:[r,c]\nMessage: "; keep position and message on one line.
        return new SourceException(SourceException.Kind.SOURCE, where, "malformed XML: " + m.replace("\n", " "), e);
    }

    private static SourceException source(String where, String reason) {
        return new SourceException(SourceException.Kind.SOURCE, where, reason);
    }
}
