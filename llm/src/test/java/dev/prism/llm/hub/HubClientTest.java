package dev.prism.llm.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HubClient against a local server on 127.0.0.1 that speaks the Hub's URL scheme. */
class HubClientTest {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    @TempDir
    Path tmp;
    HttpServer server;
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final Map<String, byte[]> served = new LinkedHashMap<>();
    final List<String> ranges = new ArrayList<>();
    final AtomicLong bytesServed = new AtomicLong();

    @BeforeEach
    void start() throws IOException {
        byte[] weights = new byte[200_000];
        new Random(1).nextBytes(weights);
        files.put("config.json", "{\"model_type\":\"llama\",\"prism_demo\":true}".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", weights);
        files.put("sub dir/notes.txt", "hello".getBytes(StandardCharsets.UTF_8));
        served.putAll(files);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        if (path.equals("/api/models/acme/tiny-vlm/revision/v1.0")) {
            StringBuilder sb = new StringBuilder("{\"id\":\"acme/tiny-vlm\",\"sha\":\"" + COMMIT + "\",\"siblings\":[");
            boolean first = true;
            for (var e : files.entrySet()) {
                sb.append(first ? "" : ",");
                first = false;
                if (e.getKey().endsWith(".safetensors")) {
                    sb.append("{\"rfilename\":\"").append(e.getKey()).append("\",\"size\":").append(e.getValue().length)
                            .append(",\"lfs\":{\"sha256\":\"").append(hash("SHA-256", null, e.getValue()))
                            .append("\",\"size\":").append(e.getValue().length).append("}}");
                } else {
                    byte[] prefix = ("blob " + e.getValue().length + "\0").getBytes(StandardCharsets.UTF_8);
                    sb.append("{\"rfilename\":\"").append(e.getKey()).append("\",\"size\":").append(e.getValue().length)
                            .append(",\"blobId\":\"").append(hash("SHA-1", prefix, e.getValue())).append("\"}");
                }
            }
            send(ex, 200, sb.append("]}").toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        String prefix = "/acme/tiny-vlm/resolve/" + COMMIT + "/";
        if (path.startsWith(prefix) && served.containsKey(path.substring(prefix.length()))) {
            byte[] body = served.get(path.substring(prefix.length()));
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null) {
                ranges.add(range);
                int from = Integer.parseInt(range.replace("bytes=", "").replace("-", ""));
                byte[] rest = java.util.Arrays.copyOfRange(body, from, body.length);
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                send(ex, 206, rest);
            } else {
                send(ex, 200, body);
            }
            return;
        }
        send(ex, 404, new byte[0]);
    }

    private void send(HttpExchange ex, int code, byte[] body) throws IOException {
        bytesServed.addAndGet(body.length);
        ex.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        try (OutputStream o = ex.getResponseBody()) {
            o.write(body);
        }
    }

    static String hash(String algo, byte[] prefix, byte[] data) {
        try {
            MessageDigest md = MessageDigest.getInstance(algo);
            if (prefix != null) {
                md.update(prefix);
            }
            return HexFormat.of().formatHex(md.digest(data));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HubClient client(boolean offline) {
        return new HubClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), tmp.resolve("cache"), offline, null);
    }

    @Test
    void fetchPinsTheCommitVerifiesHashesAndListsTheModel() throws Exception {
        Path snap = client(false).fetch("acme/tiny-vlm@v1.0");
        assertEquals(tmp.resolve("cache/models--acme--tiny-vlm/snapshots/" + COMMIT), snap);
        for (var e : files.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(snap.resolve(e.getKey())), e.getKey());
        }
        assertEquals(COMMIT, Files.readString(tmp.resolve("cache/models--acme--tiny-vlm/refs/v1.0")));
        var list = ModelRegistry.list(tmp.resolve("cache"));
        assertEquals(1, list.size());
        assertEquals("acme/tiny-vlm", list.get(0).repo());
        assertEquals("v1.0", list.get(0).revision());
        assertTrue(list.get(0).demo());
        assertEquals("llama", list.get(0).modelType());
        assertEquals(files.values().stream().mapToLong(b -> b.length).sum(), list.get(0).bytes());
        long before = bytesServed.get();
        assertEquals(snap, client(false).fetch("acme/tiny-vlm@v1.0"));
        assertTrue(bytesServed.get() - before < 2000, "a second fetch re-reads only the file list");
        assertEquals(snap, client(true).fetch("acme/tiny-vlm@v1.0"), "offline mode resolves from the cache");
    }

    @Test
    void interruptedDownloadResumesWithARangeRequest() throws Exception {
        Path dir = tmp.resolve("cache/models--acme--tiny-vlm/snapshots/" + COMMIT);
        Files.createDirectories(dir);
        byte[] w = files.get("model.safetensors");
        Files.write(dir.resolve("model.safetensors.incomplete"), java.util.Arrays.copyOf(w, 120_000));
        client(false).fetch("acme/tiny-vlm@v1.0");
        assertEquals(List.of("bytes=120000-"), ranges);
        assertArrayEquals(w, Files.readAllBytes(dir.resolve("model.safetensors")));
        assertFalse(Files.exists(dir.resolve("model.safetensors.incomplete")));
    }

    @Test
    void corruptDownloadIsRejectedAndOfflineWithoutCacheSaysWhatToRun() {
        byte[] bad = files.get("model.safetensors").clone();
        bad[5] ^= 1;
        served.put("model.safetensors", bad);
        HubException e = assertThrows(HubException.class, () -> client(false).fetch("acme/tiny-vlm@v1.0"));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("cache/models--acme--tiny-vlm/snapshots/" + COMMIT + "/model.safetensors")));
        e = assertThrows(HubException.class, () -> client(true).fetch("acme/other@main"));
        assertTrue(e.getMessage().contains("prism models fetch acme/other@main"), e.getMessage());
        e = assertThrows(HubException.class, () -> client(false).fetch("acme/missing@v1.0"));
        assertTrue(e.getMessage().contains("404"), e.getMessage());
        assertThrows(HubException.class, () -> RepoRef.parse("../etc/passwd"));
    }
}
