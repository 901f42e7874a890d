package dev.prism.llm.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Fetches a model repository from the Hugging Face Hub into a local cache laid out like
 * huggingface_hub's ({@code models--owner--name/refs/<rev>}, {@code snapshots/<commit>/<file>}).
 * The revision is resolved to a commit first ({@code api/models/{repo}/revision/{rev}?blobs=true}) and
 * every file is downloaded from {@code {repo}/resolve/{commit}/{file}}, so one fetch never mixes
 * revisions. Downloads resume with HTTP Range from a {@code .incomplete} file; LFS files are checked
 * against the sha256 the API reports, other files against their git blob id. Offline mode only reads
 * the cache.
 */
public final class HubClient {
    public static final URI DEFAULT_ENDPOINT = URI.create("https://huggingface.co");
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI endpoint;
    private final Path cacheDir;
    private final boolean offline;
    private final String token;
    private final HttpClient http;

    /** A file of the repository as the API lists it. */
    public record RemoteFile(String path, long size, String sha256, String gitBlobId) {
    }

    public HubClient(URI endpoint, Path cacheDir, boolean offline, String token) {
        this.endpoint = endpoint;
        this.cacheDir = cacheDir;
        this.offline = offline;
        this.token = token;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
    }

    /** Fetches everything in the repository. */
    public Path fetch(String spec) {
        return fetch(RepoRef.parse(spec), f -> true, msg -> { });
    }

    /**
     * Fetches the files the filter accepts; returns the snapshot directory (a checkpoint directory).
     * In offline mode returns the cached snapshot or fails naming the fetch to run.
     */
    public Path fetch(RepoRef ref, Predicate<String> include, Consumer<String> progress) {
        Path repoDir = cacheDir.resolve(ref.cacheFolder());
        if (offline) {
            return cachedSnapshot(ref, repoDir);
        }
        JsonNode info = getJson(endpoint.resolve("/api/models/" + ref.repo() + "/revision/"
                + URLEncoder.encode(ref.revision(), StandardCharsets.UTF_8) + "?blobs=true"), ref);
        String commit = info.path("sha").asText("");
        if (!commit.matches("[0-9a-f]{40}")) {
            throw new HubException(ref + ": the Hub answered without a commit sha; cannot pin the revision");
        }
        Path snapshot = repoDir.resolve("snapshots").resolve(commit);
        try {
            Files.createDirectories(snapshot);
            for (RemoteFile f : files(info)) {
                if (include.test(f.path())) {
                    download(ref, commit, f, snapshot, progress);
                }
            }
            Files.createDirectories(repoDir.resolve("refs"));
            Files.writeString(repoDir.resolve("refs").resolve(ref.revision().replace('/', '_')), commit);
        } catch (IOException e) {
            throw new HubException(ref + ": cannot write the cache under " + repoDir + ": " + e.getMessage(), e);
        }
        return snapshot;
    }

    private Path cachedSnapshot(RepoRef ref, Path repoDir) {
        Path refFile = repoDir.resolve("refs").resolve(ref.revision().replace('/', '_'));
        String commit = ref.revision().matches("[0-9a-f]{40}") ? ref.revision() : null;
        try {
            if (commit == null && Files.exists(refFile)) {
                commit = Files.readString(refFile).trim();
            }
        } catch (IOException e) {
            throw new HubException(refFile + ": unreadable: " + e.getMessage(), e);
        }
        Path snap = commit == null ? null : repoDir.resolve("snapshots").resolve(commit);
        if (snap == null || !Files.isDirectory(snap)) {
            throw new HubException(ref + " is not in the cache " + cacheDir + " and offline mode is on; run "
                    + "`prism models fetch " + ref + "` with a network first");
        }
        return snap;
    }

    static List<RemoteFile> files(JsonNode info) {
        List<RemoteFile> out = new ArrayList<>();
        for (JsonNode s : info.path("siblings")) {
            String name = s.path("rfilename").asText();
            JsonNode lfs = s.path("lfs");
            long size = lfs.has("size") ? lfs.get("size").asLong() : s.path("size").asLong(-1);
            out.add(new RemoteFile(name, size, lfs.has("sha256") ? lfs.get("sha256").asText() : null,
                    s.has("blobId") ? s.get("blobId").asText() : null));
        }
        return out;
    }

    private void download(RepoRef ref, String commit, RemoteFile f, Path snapshot, Consumer<String> progress) throws IOException {
        if (f.path().contains("..") || f.path().startsWith("/")) {
            throw new HubException(ref + ": refusing file name '" + f.path() + "' that leaves the snapshot directory");
        }
        Path target = snapshot.resolve(f.path());
        if (Files.exists(target) && (f.size() < 0 || Files.size(target) == f.size())) {
            progress.accept("cached " + f.path());
            return;
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".incomplete");
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (f.size() >= 0 && have > f.size()) {
            Files.delete(part);
            have = 0;
        }
        URI uri = endpoint.resolve("/" + ref.repo() + "/resolve/" + commit + "/" + encodePath(f.path()));
        HttpRequest.Builder rb = request(uri);
        if (have > 0) {
            rb.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(ref + ": interrupted while downloading " + f.path(), e);
        }
        boolean append = resp.statusCode() == 206;
        if (resp.statusCode() != 200 && !append) {
            resp.body().close();
            throw new HubException(ref + ": GET " + uri + " answered HTTP " + resp.statusCode() + hint(resp.statusCode()));
        }
        progress.accept((append ? "resuming " : "downloading ") + f.path() + (append ? " at byte " + have : ""));
        try (InputStream in = resp.body();
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        }
        verify(ref, f, part);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void verify(RepoRef ref, RemoteFile f, Path part) throws IOException {
        long size = Files.size(part);
        if (f.size() >= 0 && size != f.size()) {
            throw new HubException(ref + ": " + f.path() + " has " + size + " bytes, the Hub lists " + f.size()
                    + "; the partial file is kept, run the fetch again to resume");
        }
        String got;
        String want;
        if (f.sha256() != null) {
            got = digest(part, "SHA-256", null);
            want = f.sha256();
        } else if (f.gitBlobId() != null) {
            got = digest(part, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.UTF_8));
            want = f.gitBlobId();
        } else {
            return;
        }
        if (!got.equalsIgnoreCase(want)) {
            Files.delete(part);
            throw new HubException(ref + ": " + f.path() + " is corrupt (hash " + got + ", expected " + want
                    + "); it was deleted, run the fetch again");
        }
    }

    static String digest(Path p, String algo, byte[] prefix) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance(algo);
            if (prefix != null) {
                md.update(prefix);
            }
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algo + " missing from the JDK", e);
        }
    }

    private JsonNode getJson(URI uri, RepoRef ref) {
        try {
            HttpResponse<String> r = http.send(request(uri).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new HubException(ref + ": GET " + uri + " answered HTTP " + r.statusCode() + hint(r.statusCode()));
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new HubException(ref + ": cannot reach " + endpoint + " (" + e.getMessage()
                    + "); check the network or use offline mode with a cached model", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(ref + ": interrupted", e);
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET();
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static String hint(int status) {
        return switch (status) {
            case 401, 403 -> " (gated or private repository: accept its licence on the Hub and pass a token)";
            case 404 -> " (no such repository, revision or file)";
            default -> "";
        };
    }

    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/")) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return sb.toString();
    }
}
