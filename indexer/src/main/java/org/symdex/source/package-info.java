/**
 * What distributions publish, turned into a list of packages to read: Debian archives and flat
 * repositories (InRelease/Release, Packages) and rpm-md repositories (repomd.xml, primary), each
 * package with where it is, its size and checksum, and its labels. Design and rules:
 * docs/sources.md.
 *
 * <p>The flow, and the public API in the order a caller uses it:
 * <ol>
 * <li>{@link org.symdex.source.SourceParser} turns a {@code --source} line or a {@code --sources}
 *     file ({@code .list}, {@code .sources}, {@code .repo}) into {@link org.symdex.source.SourceSpec}s
 *     (with {@link org.symdex.source.SourceDefaults}: host architecture, releasever, basearch);</li>
 * <li>{@link org.symdex.source.SourceReader#open} reads a source's top metadata through a
 *     {@link org.symdex.source.Fetcher} ({@link org.symdex.source.Fetchers#standard}: {@link
 *     org.symdex.source.FileFetcher} for {@code file:}, {@link org.symdex.source.HttpFetcher} with
 *     {@link org.symdex.source.HttpSettings} for {@code http:} and {@code https:}), checks its
 *     signature when it has {@code signed-by=}, into a {@link org.symdex.source.SourceHead}: labels,
 *     skip key and release date known; {@link org.symdex.source.MirrorSkew#check} says whether a
 *     mirror serves older metadata than was indexed; {@link org.symdex.source.Catalog#checkLabels}
 *     refuses two sources with one label;</li>
 * <li>{@link org.symdex.source.SourceReader#list} streams the package lists, filtered by a
 *     {@link org.symdex.source.SourceFilter}, into a {@link org.symdex.source.SourceListing} of
 *     {@link org.symdex.source.ListedPackage}s; {@link org.symdex.source.Catalog#of} merges
 *     listings, one package per checksum with every label;</li>
 * <li>{@link org.symdex.source.VerifyingInputStream#open} opens a listed package so that its size
 *     and checksum are checked while the package reader streams it.</li>
 * </ol>
 * Every failure is a {@link org.symdex.source.SourceException}: one line, {@code WHERE: reason},
 * with a {@link org.symdex.source.SourceException.Kind} saying whether it is a usage error, a
 * source's or a package's. Nothing here writes to stdout or exits.
 */
package org.symdex.source;
