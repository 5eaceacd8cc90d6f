package org.symdex.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a run recorded of one source, in the {@link Schema#DATA_SOURCES} commit entry (a JSON array, one
 * object per source): the next run skips a source whose {@link #skipKey} is unchanged and whose status
 * is {@code ok}, without reading its package list; {@code info} and CI read the rest.
 *
 * @param line the source as one line (a deb822 stanza or .repo section in its one-line form)
 * @param id the source's canonical form: what identifies it from run to run
 * @param labels every label it yields
 * @param metadataUri the InRelease, Release or repomd.xml read
 * @param metadataSha256 SHA-256 of those bytes
 * @param skipKey SHA-256 over what decides the listing (source, metadata, filters)
 * @param date the Release's Date (repomd's revision), "" when it has none
 * @param status {@code ok}; {@code failed: REASON} (its metadata could not be read: its packages kept as
 *     they were); {@code N package failures} (read, some packages not: retried next run)
 * @param packages packages it lists after filters (as last read)
 * @param uri the source's base URI: its packages' locations start with it ("" when unknown)
 */
public record SourceRecord(String line, String id, List<String> labels, String metadataUri, String metadataSha256,
                           String skipKey, String date, String status, long packages, String uri) {
    public static final String OK = "ok";
    private static final JsonFactory JSON = new JsonFactory();

    public SourceRecord {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(id, "id");
        labels = List.copyOf(labels);
        Objects.requireNonNull(metadataUri, "metadataUri");
        Objects.requireNonNull(metadataSha256, "metadataSha256");
        Objects.requireNonNull(skipKey, "skipKey");
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(uri, "uri");
    }

    /** Whether a run may skip this source when its skip key is unchanged: it was read, wholly. */
    public boolean ok() {
        return status.equals(OK);
    }

    /** The commit entry for {@code records}. */
    public static String toJson(List<SourceRecord> records) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartArray();
            for (SourceRecord r : records) {
                g.writeStartObject();
                g.writeStringField("line", r.line);
                g.writeStringField("id", r.id);
                g.writeArrayFieldStart("labels");
                for (String l : r.labels) {
                    g.writeString(l);
                }
                g.writeEndArray();
                g.writeStringField("metadataUri", r.metadataUri);
                g.writeStringField("metadataSha256", r.metadataSha256);
                g.writeStringField("skipKey", r.skipKey);
                g.writeStringField("date", r.date);
                g.writeStringField("status", r.status);
                g.writeNumberField("packages", r.packages);
                g.writeStringField("uri", r.uri);
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing JSON to a string", e);
        }
        return w.toString();
    }

    /**
     * The records of a commit entry; empty for null or "". An entry this build cannot read (another
     * version's, damaged) reads as no records: every source is then read again, which is safe.
     */
    public static List<SourceRecord> fromJson(String json) {
        List<SourceRecord> out = new ArrayList<>();
        if (json == null || json.isEmpty()) {
            return out;
        }
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return List.of();
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String line = "", id = "", uri = "", sha = "", key = "", date = "", status = "", base = "";
                long packages = 0;
                List<String> labels = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (name) {
                        case "line" -> line = p.getValueAsString("");
                        case "id" -> id = p.getValueAsString("");
                        case "metadataUri" -> uri = p.getValueAsString("");
                        case "metadataSha256" -> sha = p.getValueAsString("");
                        case "skipKey" -> key = p.getValueAsString("");
                        case "date" -> date = p.getValueAsString("");
                        case "status" -> status = p.getValueAsString("");
                        case "packages" -> packages = p.getValueAsLong(0);
                        case "uri" -> base = p.getValueAsString("");
                        case "labels" -> {
                            if (t == JsonToken.START_ARRAY) {
                                while (p.nextToken() == JsonToken.VALUE_STRING) {
                                    labels.add(p.getText());
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
                out.add(new SourceRecord(line, id, labels, uri, sha, key, date, status, packages, base));
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /** How many sources a commit entry names. */
    public static long count(String json) {
        return fromJson(json).size();
    }
}
