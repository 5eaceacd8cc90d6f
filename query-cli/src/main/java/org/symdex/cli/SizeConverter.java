package org.symdex.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A size as people write one: {@code 4294967296}, {@code 4G}, {@code 512MiB}, {@code 100k}, {@code 1TB}.
 * The suffixes k, M, G, T are powers of 1024 (as dpkg, du and ls -h count), with an optional B or iB;
 * anything else is a usage error naming the value.
 */
final class SizeConverter implements CommandLine.ITypeConverter<Long> {
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

    @Override
    public Long convert(String value) {
        Matcher m = SIZE.matcher(value.strip());
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size (a number of bytes, "
                    + "optionally with k, M, G or T: 512M, 4GiB)");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        if (m.group(2).isEmpty() && m.group(3) != null && m.group(3).equalsIgnoreCase("ib")) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a size: iB needs k, M, G or T");
        }
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is too large a size");
        }
    }
}
