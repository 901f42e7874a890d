package dev.prism.deploy.dashboard;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.prism.deploy.TestMedia;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The SSE endpoints against the real tracker: replay, Last-Event-ID resume, filters, unsubscribe; media ranges. */
@QuarkusTest
class LiveEventsTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URL root;

    @Inject
    LiveHub hub;

    record Sse(long id, Map<String, Object> body) {
    }

    /** Reads SSE events until one matches {@code until} (inclusive), then disconnects. */
    List<Sse> read(String path, String lastEventId, Predicate<Sse> until) {
        // a stream that stops delivering fails the test instead of hanging the build
        return org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(90),
                () -> readUntil(path, lastEventId, until), "no matching event on " + path + " within 90 s");
    }

    private List<Sse> readUntil(String path, String lastEventId, Predicate<Sse> until) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(root.toString()).resolve(path))
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60));
        if (lastEventId != null) req.header("Last-Event-ID", lastEventId);
        HttpResponse<InputStream> resp = HttpClient.newHttpClient().send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, resp.statusCode());
        assertTrue(resp.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
        List<Sse> out = new ArrayList<>();
        try (InputStream in = resp.body(); BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("id:")) id = line.substring(3).trim();
                else if (line.startsWith("data:")) data.append(line.substring(5).trim());
                else if (line.isEmpty() && id != null) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> body = JSON.readValue(data.toString(), Map.class);
                    Sse ev = new Sse(Long.parseLong(id), body);
                    assertEquals(ev.id(), ((Number) body.get("seq")).longValue(), "event id is the seq");
                    out.add(ev);
                    id = null;
                    data.setLength(0);
                    if (until.test(ev)) return out;
                }
            }
        }
        fail("the stream ended before the expected event; got " + out.size() + " events");
        return out;
    }

    static boolean finished(Sse e) {
        if (!"job".equals(e.body().get("type"))) return false;
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) e.body().get("data");
        return List.of("done", "failed").contains(d.get("state"));
    }

    @Test
    void aJobsHistoryReplaysAndAReconnectResumesWithoutGapsOrDuplicates() throws Exception {
        Path clip = TestMedia.clip(2);
        String id = given().multiPart("file", clip.toFile(), "video/mp4").multiPart("tasks", "codec")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        // Live: subscribe right away and follow the job to its end.
        List<Sse> all = read("/v1/jobs/" + id + "/events", null, LiveEventsTest::finished);
        assertTrue(all.size() >= 3, "at least request, stage events and the final state: " + all.size());
        for (int i = 0; i < all.size(); i++) {
            assertEquals(id, all.get(i).body().get("jobId"));
            if (i > 0) assertTrue(all.get(i).id() > all.get(i - 1).id(), "ids strictly increase");
        }
        // A fresh page gets the same history.
        List<Long> replay = read("/v1/jobs/" + id + "/events", null, LiveEventsTest::finished).stream().map(Sse::id).toList();
        List<Long> ids = all.stream().map(Sse::id).toList();
        assertEquals(ids, replay);
        // Reconnecting after any event continues exactly after it.
        int k = ids.size() / 2;
        List<Long> resumed = read("/v1/jobs/" + id + "/events", String.valueOf(ids.get(k)), LiveEventsTest::finished)
                .stream().map(Sse::id).toList();
        assertEquals(ids.subList(k + 1, ids.size()), resumed);
        // The query parameter does the same for clients that cannot set headers.
        List<Long> viaParam = read("/v1/jobs/" + id + "/events?lastEventId=" + ids.get(0), null, LiveEventsTest::finished)
                .stream().map(Sse::id).toList();
        assertEquals(ids.subList(1, ids.size()), viaParam);

        // The all-jobs stream with a type filter passes only job summaries.
        List<Sse> jobsOnly = read("/v1/events?types=job", null, e -> finished(e) && id.equals(e.body().get("jobId")));
        assertTrue(jobsOnly.stream().allMatch(e -> "job".equals(e.body().get("type"))));

        // Disconnected clients are unsubscribed (the end handler fires when the connection goes).
        for (int i = 0; i < 400 && hub.clientCount() > 0; i++) Thread.sleep(50);
        assertEquals(0, hub.clientCount(), "no stream outlives its client");
    }

    @Test
    void badLastEventIdIs400() {
        given().header("Last-Event-ID", "abc").get("/v1/events").then().statusCode(400);
    }

    @Test
    void mediaIsServedWithRangesAndItsInfoSaysWhatItIs() throws Exception {
        Path clip = TestMedia.clip(2);
        byte[] bytes = Files.readAllBytes(clip);
        String id = given().multiPart("file", clip.toFile(), "video/mp4").multiPart("tasks", "codec")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        given().get("/v1/jobs/unknown00000000/media/info").then().statusCode(200)
                .body("known", org.hamcrest.Matchers.equalTo(false));
        for (int i = 0; i < 200; i++) {
            if (given().get("/v1/jobs/" + id + "/media/info").jsonPath().getBoolean("known")) break;
            Thread.sleep(50);
        }
        var info = given().get("/v1/jobs/" + id + "/media/info").then().statusCode(200).extract().jsonPath();
        assertTrue(info.getBoolean("available"));
        assertEquals("video/mp4", info.getString("type"));
        assertEquals(bytes.length, info.getLong("size"));

        byte[] whole = given().get("/v1/jobs/" + id + "/media").then().statusCode(200)
                .header("Accept-Ranges", "bytes").extract().asByteArray();
        assertTrue(java.util.Arrays.equals(bytes, whole), "the stored upload, byte for byte");
        byte[] part = given().header("Range", "bytes=100-299").get("/v1/jobs/" + id + "/media").then().statusCode(206)
                .header("Content-Range", "bytes 100-299/" + bytes.length).extract().asByteArray();
        assertTrue(java.util.Arrays.equals(java.util.Arrays.copyOfRange(bytes, 100, 300), part));
        given().header("Range", "bytes=" + bytes.length + "-").get("/v1/jobs/" + id + "/media").then().statusCode(416)
                .header("Content-Range", "bytes */" + bytes.length);
        given().get("/v1/jobs/nosuchjob0000000/media").then().statusCode(404);
    }

    @Test
    void aJobWithoutGaussianFramesAnswersAnEmptyBatch() throws Exception {
        Path clip = TestMedia.clip(2);
        String id = given().multiPart("file", clip.toFile(), "video/mp4").multiPart("tasks", "codec")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        read("/v1/jobs/" + id + "/events", null, LiveEventsTest::finished);
        byte[] body = given().get("/v1/jobs/" + id + "/gaussians/frames").then().statusCode(200).extract().asByteArray();
        var b = java.nio.ByteBuffer.wrap(body).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(12, body.length);
        assertEquals(SplatBatch.MAGIC, b.getInt());
        assertEquals(0, b.getInt(), "no stored frames");
        assertEquals(0, b.getInt(), "no frames in the batch");
        given().queryParam("limit", 0).get("/v1/jobs/" + id + "/gaussians/frames").then().statusCode(400);
    }
}
