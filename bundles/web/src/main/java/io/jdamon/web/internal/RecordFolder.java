package io.jdamon.web.internal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.jdamon.api.RegionSnapshot;
import io.jdamon.record.RecordFileException;
import io.jdamon.record.RecordReader;
import io.jdamon.record.RecordedSnapshot;
import io.jdamon.record.Recording;
import io.jdamon.record.TargetRecord;

/**
 * The record files the pages may open: only regular files directly in the
 * records folder (framework property {@value #FOLDER_PROPERTY}, default
 * {@code ${jdamon.home}/records}), named by a plain file name; a name with a
 * path separator or {@code ..}, an absolute path, or a symbolic link (even
 * one pointing inside) is refused.
 */
@Component(service = RecordFolder.class)
public final class RecordFolder {

    /** The framework property naming the folder. */
    public static final String FOLDER_PROPERTY = "jdamon.records";
    /** The largest file opened, in bytes: the page gets it whole. */
    static final long MAX_BYTES = 64L << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    /** A request for a file that may not be opened; the message says why and what to do. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final Path folder;

    @Activate
    public RecordFolder(BundleContext context) {
        this(folder(context.getProperty(FOLDER_PROPERTY), context.getProperty("jdamon.home")));
    }

    RecordFolder(Path folder) {
        this.folder = folder;
    }

    static Path folder(String configured, String home) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(home == null ? "." : home, "records");
    }

    /** @return the JSON list of the folder's regular files, by name */
    String list() throws IOException {
        StringBuilder b = new StringBuilder("{\"folder\":");
        Json.string(b, folder.toString()).append(",\"files\":[");
        if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            TreeMap<String, Long> files = new TreeMap<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (NAME.matcher(n).matches() && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        files.put(n, Files.size(p));
                    }
                }
            }
            boolean first = true;
            for (var e : files.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                b.append("{\"name\":");
                Json.string(b, e.getKey()).append(",\"bytes\":").append(e.getValue()).append('}');
            }
        }
        return b.append("]}").toString();
    }

    /** @return the file, if {@code name} may be opened */
    Path resolve(String name) throws Refused {
        if (name == null || name.isEmpty()) {
            throw new Refused(HttpServletResponse.SC_BAD_REQUEST,
                    "name a record file of " + folder + " with ?file=NAME");
        }
        if (!NAME.matcher(name).matches() || name.contains("..")) {
            throw new Refused(HttpServletResponse.SC_FORBIDDEN, "'" + name
                    + "' is not a plain file name; only files directly in " + folder + " can be opened");
        }
        Path file = folder.resolve(name);
        if (Files.isSymbolicLink(file)) {
            throw new Refused(HttpServletResponse.SC_FORBIDDEN, "'" + name
                    + "' is a symbolic link; copy the record into " + folder + " to open it");
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused(HttpServletResponse.SC_NOT_FOUND, "no record file '" + name + "' in " + folder);
        }
        try {
            if (!file.toRealPath().getParent().equals(folder.toRealPath())) {
                throw new Refused(HttpServletResponse.SC_FORBIDDEN, "'" + name + "' is outside " + folder);
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new Refused(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "'" + name + "' has more than "
                        + MAX_BYTES + " bytes; view it with 'jdamon report heatmap' instead");
            }
        } catch (IOException e) {
            throw new Refused(HttpServletResponse.SC_NOT_FOUND, "cannot read '" + name + "': " + e.getMessage());
        }
        return file;
    }

    /** @return the file's snapshots as heatmap columns, and what it says about the run */
    String columns(String name) throws Refused {
        Path file = resolve(name);
        Recording rec;
        try {
            rec = RecordReader.read(file);
        } catch (RecordFileException e) {
            throw new Refused(422, e.getMessage());
        }
        List<TargetRecord> targets = rec.records();
        StringBuilder b = new StringBuilder("{\"file\":");
        Json.string(b, name).append(",\"context\":");
        Json.string(b, rec.contextName() == null ? "" : rec.contextName()).append(",\"primitive\":");
        Json.string(b, rec.primitiveName() == null ? "" : rec.primitiveName()).append(",\"sensor\":");
        Json.map(b, rec.primitiveProperties()).append(",\"targets\":[");
        for (int t = 0; t < targets.size(); t++) {
            if (t > 0) {
                b.append(',');
            }
            Json.string(b, targets.get(t).targetSpec() == null ? "" : targets.get(t).targetSpec());
        }
        b.append("],\"columns\":[");
        int n = targets.stream().mapToInt(t -> t.snapshots().size()).max().orElse(0);
        for (int i = 0; i < n; i++) {
            RecordedSnapshot first = null;
            long wss = 0;
            List<List<RegionSnapshot>> regions = new ArrayList<>();
            for (TargetRecord t : targets) {
                if (i < t.snapshots().size()) {
                    RecordedSnapshot s = t.snapshots().get(i);
                    first = first == null ? s : first;
                    wss += s.effectiveWorkingSetBytes();
                    regions.add(s.regions());
                } else {
                    regions.add(List.of());
                }
            }
            int max = first.samplesTaken() > 0 ? first.samplesTaken()
                    : (int) Math.max(1, first.aggregationIntervalUs() / Math.max(1, first.sampleIntervalUs()));
            if (i > 0) {
                b.append(',');
            }
            Json.column(b, i, 0, first.aggregationIndex(), first.startNanos(), first.endNanos(),
                    first.sampleIntervalUs(), first.aggregationIntervalUs(), max, wss, regions);
        }
        return b.append("]}").toString();
    }
}
