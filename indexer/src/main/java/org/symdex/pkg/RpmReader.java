package org.symdex.pkg;

import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.symdex.io.NonClosingInputStream;
import org.symdex.io.Streams;

/**
 * Streams an .rpm: the 96-byte lead, the signature header (padded to 8 bytes), the main header,
 * then the compressed cpio payload (rpm doc/manual/format.md, lib/package.c).
 */
public final class RpmReader {
    private static final int LEAD_BYTES = 96;
    private static final int SIG_SIZE = 1000;
    private static final int SIG_LONGSIZE = 270;
    private final ReaderOptions options;

    public RpmReader(ReaderOptions options) {
        this.options = options;
    }

    public void read(InputStream in, PackageVisitor visitor) throws PackageFormatException, IOException {
        try {
            readRpm(in, visitor);
        } catch (VisitorFailure e) {
            throw e.getCause();
        } catch (PackageFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PackageFormatException(VisitorFailure.describe(e), e);
        }
    }

    private void readRpm(InputStream in, PackageVisitor visitor) throws IOException, PackageFormatException {
        byte[] lead = new byte[LEAD_BYTES];
        int got = Streams.readUpTo(in, lead, 0, LEAD_BYTES);
        if (got < LEAD_BYTES) {
            throw new PackageFormatException("lead: truncated (" + got + " of 96 bytes)");
        }
        if ((lead[0] & 0xff) != 0xed || (lead[1] & 0xff) != 0xab || (lead[2] & 0xff) != 0xee || (lead[3] & 0xff) != 0xdb) {
            throw new PackageFormatException("lead: bad magic");
        }
        // lib/rpmlead.c accepts lead format 3 and 4 only, with signature type 5 (header-style).
        if (lead[4] != 3 && lead[4] != 4) {
            throw new PackageFormatException("lead: unsupported format version " + lead[4]);
        }
        int sigType = ((lead[78] & 0xff) << 8) | (lead[79] & 0xff);
        if (sigType != 5) {
            throw new PackageFormatException("lead: unsupported signature type " + sigType);
        }
        long offset = LEAD_BYTES;
        RpmHeader sig = RpmHeader.read(in, "signature", offset);
        offset += sig.length();
        // The signature header is padded to a multiple of 8 bytes (lib/signature.c rpmReadSignature).
        int pad = (int) ((8 - (sig.length() % 8)) % 8);
        Streams.skipFully(in, pad);
        offset += pad;
        RpmHeader header = RpmHeader.read(in, "header", offset);
        offset += header.length();

        Optional<String> format = header.string(RpmHeader.PAYLOADFORMAT);
        if (format.isPresent() && !format.get().equals("cpio")) {
            throw new PackageFormatException("header: payload format '" + format.get() + "' is not cpio");
        }
        PushbackInputStream payload = new PushbackInputStream(new NonClosingInputStream(in), 16);
        Codec codec = payloadCodec(header, payload, offset);
        if (!VisitorFailure.onInfo(visitor, info(header, codec))) {
            return;
        }
        String where = "payload (" + codec.rpmName() + ") @0x" + Long.toHexString(offset);
        try (InputStream dec = codec.decode(payload, payloadBytes(sig, header), options)) {
            new CpioWalker(dec, header, visitor).walk();
            // Read to the end, so the decoder verifies its trailer and truncation is noticed.
            Streams.skip(dec, Long.MAX_VALUE);
        } catch (VisitorFailure e) {
            throw e;
        } catch (PackageFormatException e) {
            throw new PackageFormatException(where + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new PackageFormatException(where + ": " + VisitorFailure.describe(e), e);
        }
    }

    /**
     * The compressed payload's size, from the signature's SIZE/LONGSIZE (header + payload,
     * lib/signature.h RPMSIGTAG_SIZE, RPMSIGTAG_LONGSIZE); -1 when absent or inconsistent. Only
     * used to pick a decoder, never to allocate or bound reading.
     */
    private static long payloadBytes(RpmHeader sig, RpmHeader header) throws PackageFormatException {
        long[] longSize = sig.numbers(SIG_LONGSIZE);
        long[] size = sig.numbers(SIG_SIZE);
        long total = longSize.length > 0 ? longSize[0] : size.length > 0 ? size[0] : -1;
        return total < header.length() ? -1 : total - header.length();
    }

    /** PAYLOADCOMPRESSOR when present (lib/psm.c uses it), else the stream's magic. */
    private static Codec payloadCodec(RpmHeader h, PushbackInputStream payload, long offset)
            throws IOException, PackageFormatException {
        Optional<String> tag = h.string(RpmHeader.PAYLOADCOMPRESSOR);
        if (tag.isPresent()) {
            return Codec.fromRpmName(tag.get()).orElseThrow(() -> new PackageFormatException(
                    "header: unknown PAYLOADCOMPRESSOR '" + tag.get() + "'"));
        }
        byte[] head = new byte[8];
        int n = Streams.readUpTo(payload, head, 0, head.length);
        payload.unread(head, 0, n);
        if (n == 0) {
            throw new PackageFormatException("payload @0x" + Long.toHexString(offset) + ": missing");
        }
        return Codec.fromMagic(head, n).orElseThrow(() -> new PackageFormatException(
                "payload @0x" + Long.toHexString(offset) + ": unknown compression (no PAYLOADCOMPRESSOR tag)"));
    }

    private static PackageInfo info(RpmHeader h, Codec codec) throws PackageFormatException {
        String name = h.string(RpmHeader.NAME).orElseThrow(() -> new PackageFormatException("header: no NAME"));
        long[] epoch = h.numbers(RpmHeader.EPOCH);
        long[] longSize = h.numbers(RpmHeader.LONGSIZE);
        long[] size = h.numbers(RpmHeader.SIZE);
        long installed = longSize.length > 0 ? longSize[0] : size.length > 0 ? size[0] : -1;
        return new PackageInfo(PackageFormat.RPM, name,
                epoch.length > 0 ? Optional.of((int) epoch[0]) : Optional.empty(),
                h.string(RpmHeader.VERSION).orElse(""),
                h.string(RpmHeader.RELEASE).orElse(""),
                h.string(RpmHeader.ARCH).orElse(""),
                h.string(RpmHeader.SOURCERPM),
                Optional.empty(), installed, codec,
                dependencies(h, "PROVIDE", RpmHeader.PROVIDENAME, RpmHeader.PROVIDEFLAGS, RpmHeader.PROVIDEVERSION),
                dependencies(h, "REQUIRE", RpmHeader.REQUIRENAME, RpmHeader.REQUIREFLAGS, RpmHeader.REQUIREVERSION));
    }

    private static List<Dependency> dependencies(RpmHeader h, String kind, int nameTag, int flagsTag, int versionTag)
            throws PackageFormatException {
        List<String> names = h.strings(nameTag);
        long[] flags = h.numbers(flagsTag);
        List<String> versions = h.strings(versionTag);
        // rpmdsNew requires parallel arrays; very old packages may lack FLAGS/VERSION entirely.
        if ((flags.length != 0 && flags.length != names.size()) || (!versions.isEmpty() && versions.size() != names.size())) {
            throw new PackageFormatException("header: " + kind + "NAME has " + names.size() + " entries but "
                    + kind + "FLAGS " + flags.length + " and " + kind + "VERSION " + versions.size());
        }
        List<Dependency> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            out.add(new Dependency(names.get(i), flags.length == 0 ? 0 : (int) flags[i],
                    versions.isEmpty() ? "" : versions.get(i)));
        }
        return out;
    }
}
