package dev.prism.deploy.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.*;

import dev.prism.deploy.TestMedia;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class JobApiTest {

    static JsonPath waitUntilFinished(String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            JsonPath job = given().get("/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
            String state = job.getString("state");
            if (state.equals("done") || state.equals("failed")) return job;
            Thread.sleep(200);
        }
        fail("job " + id + " did not finish: " + given().get("/v1/jobs/" + id).asString());
        return null;
    }

    @Test
    void uploadedClipRunsToDoneAndItsResultsAreServed() throws Exception {
        Path clip = TestMedia.clip(4);
        String id = given().multiPart("file", clip.toFile(), "video/mp4").multiPart("tasks", "transcript,codec")
                .when().post("/v1/jobs").then().statusCode(202).extract().path("id");
        JsonPath job = waitUntilFinished(id);
        assertEquals("done", job.getString("state"), job.prettify());
        assertEquals(4.0, job.getDouble("probe.durationSeconds"), 0.3, "probe duration");
        assertTrue(job.getMap("stages.decode").get("state").equals("done"));
        JsonPath report = given().get("/v1/jobs/" + id + "/report.json").then().statusCode(200).extract().jsonPath();
        assertEquals(id, report.getString("id"));
        assertEquals(List.of("transcript", "codec"), report.getList("tasks"));
        given().get("/v1/jobs").then().statusCode(200).body(containsString(id));
        JsonPath transcript = given().get("/v1/jobs/" + id + "/transcript.json").then().statusCode(200).extract().jsonPath();
        assertTrue(transcript.getString("recognizer").startsWith("sphinx4"), transcript.getString("recognizer"));
        List<Map<String, Object>> words = transcript.getList("segments.words.flatten()");
        if (TestMedia.speechWav() != null) {
            assertTrue(words.size() >= 3, "the clip's read speech is recognised: " + transcript.prettify());
            String text = transcript.getList("segments.text").toString().toLowerCase();
            assertTrue(List.of("rather", "cold", "hearted", "selfish", "disposed")
                    .stream().anyMatch(text::contains), "expected words of the LibriVox clip in: " + text);
            double prev = 0;
            for (Map<String, Object> w : words) {
                double start = ((Number) w.get("start")).doubleValue();
                assertTrue(start >= prev - 1e-6, "word timings are monotonic");
                prev = start;
            }
            String vtt = given().get("/v1/jobs/" + id + "/transcript.vtt").then().statusCode(200).extract().asString();
            assertTrue(vtt.startsWith("WEBVTT") && vtt.contains("-->"), vtt);
        }
        byte[] codes = given().get("/v1/jobs/" + id + "/audio.codes").then().statusCode(200).extract().asByteArray();
        var pcm = new dev.prism.codecs.CodecDecoder(h -> dev.prism.codecs.CodecFiles.resolve(h, null,
                Path.of("target/prism-test-data/cache/codec"))).decodeAll(codes);
        assertEquals(4.0, pcm.samples().length / (double) pcm.sampleRate(), 0.15, "decoded codec stream covers the clip");
        byte[] wav = given().get("/v1/jobs/" + id + "/codec.wav").then().statusCode(200).extract().asByteArray();
        assertEquals("RIFF", new String(wav, 0, 4), "the reconstruction is served as WAV for the dashboard's player");
        assertTrue(wav.length > 24000 * 2 * 3.8, "about 4 s of 16-bit 24 kHz audio: " + wav.length);
    }

    @Test
    void captionsComeFromPrunedVisionTokensAreLabelledDemoAndFollowUpsAreAnswered() throws Exception {
        Path clip = TestMedia.clip(4);
        String id = given().multiPart("file", clip.toFile()).multiPart("tasks", "captions").multiPart("frameRate", "1")
                .post("/v1/jobs").then().statusCode(202).extract().path("id");
        JsonPath job = waitUntilFinished(id);
        assertEquals("done", job.getString("state"), job.prettify());
        assertTrue(job.getBoolean("demo"), "generated checkpoint outputs are labelled demo");
        JsonPath caps = given().get("/v1/jobs/" + id + "/captions.json").then().statusCode(200).extract().jsonPath();
        assertTrue(caps.getBoolean("demo"));
        List<Map<String, Object>> segs = caps.getList("segments");
        assertEquals(2, segs.size(), "one caption per 2 s segment: " + caps.prettify());
        for (Map<String, Object> s : segs) {
            int before = ((Number) s.get("vision_tokens_before_stage_a")).intValue();
            int after = ((Number) s.get("vision_tokens_after_stage_a")).intValue();
            assertTrue(after < before, "MustDrop stage A merged tokens: " + s);
            assertFalse(((String) s.get("text")).isBlank());
        }
        given().get("/v1/jobs/" + id + "/captions.vtt").then().statusCode(200).body(containsString("[demo]"));
        JsonPath answer = given().contentType("application/json").body(Map.of("question", "What moves?"))
                .post("/v1/jobs/" + id + "/ask").then().statusCode(200).extract().jsonPath();
        assertTrue(answer.getBoolean("demo"));
        assertTrue(answer.getInt("contextBytes") > 0);
        assertEquals("cache", answer.getString("path"), "no deadline: the cached context answers");
        JsonPath hurried = given().contentType("application/json").body(Map.of("question", "What moves?", "deadlineMs", 0.001))
                .post("/v1/jobs/" + id + "/ask").then().statusCode(200).extract().jsonPath();
        assertEquals("text", hurried.getString("path"), "a deadline no context load can meet falls back to the text");
        given().contentType("application/json").body(Map.of("question", "")).post("/v1/jobs/" + id + "/ask").then().statusCode(400);
    }

    @Test
    void resultsOfATaskTheJobDidNotAskForAre404WithAReason() throws Exception {
        Path clip = TestMedia.clip(2);
        String id = given().multiPart("file", clip.toFile()).multiPart("tasks", "codec").post("/v1/jobs")
                .then().statusCode(202).extract().path("id");
        waitUntilFinished(id);
        given().get("/v1/jobs/" + id + "/captions.json").then().statusCode(404)
                .body("error", containsString("did not ask for task 'captions'"));
    }

    @Test
    void aJobIsReadableTheMomentItsSubmissionReturnsAndGoneTheMomentItIsDeleted() throws Exception {
        Path clip = TestMedia.clip(2);
        for (int i = 0; i < 5; i++) {
            String id = given().multiPart("file", clip.toFile()).multiPart("tasks", "codec").post("/v1/jobs")
                    .then().statusCode(202).extract().path("id");
            // no wait: the accepting process reads its own writes before its consumer folds the job topic
            given().get("/v1/jobs/" + id).then().statusCode(200).body("id", equalTo(id));
            given().get("/v1/jobs").then().statusCode(200).body(containsString(id));
            given().delete("/v1/jobs/" + id).then().statusCode(204);
            given().get("/v1/jobs/" + id).then().statusCode(404);
        }
    }

    @Test
    void emptyUploadIs400AndNothingIsStored() {
        long before = storedJobs();
        given().multiPart("file", "empty.mp4", new byte[0]).post("/v1/jobs").then().statusCode(400)
                .body("error", containsString("empty"));
        given().contentType("application/octet-stream").body(new byte[0]).post("/v1/jobs").then().statusCode(400);
        assertEquals(before, storedJobs());
    }

    @Test
    void randomBytesNamedMp4Are415() {
        byte[] junk = new byte[20000];
        new Random(7).nextBytes(junk);
        long before = storedJobs();
        given().multiPart("file", "movie.mp4", junk, "video/mp4").post("/v1/jobs").then().statusCode(415)
                .body("error", containsString("not a media file"));
        assertEquals(before, storedJobs());
    }

    @Test
    void uploadOverTheLimitIs413AndThePartialFileIsRemoved() {
        // a valid MP4 head followed by more bytes than the test limit (prism.limits.max-upload-bytes=3000000)
        byte[] big = new byte[3_200_000];
        byte[] head = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0, 'i', 's', 'o', 'm', 'm', 'p', '4', '1'};
        System.arraycopy(head, 0, big, 0, head.length);
        long before = storedJobs();
        given().contentType("application/octet-stream").body(big).post("/v1/jobs").then().statusCode(413)
                .body("error", containsString("limit"));
        assertEquals(before, storedJobs());
    }

    @Test
    void badOptionsAre400WithTheOptionNamed() throws Exception {
        given().multiPart("file", TestMedia.clip(2).toFile()).multiPart("tasks", "telepathy").post("/v1/jobs")
                .then().statusCode(400).body("error", containsString("telepathy"));
        given().contentType("application/json").body(Map.of("source", "ftp://example.com/a.mp4")).post("/v1/jobs")
                .then().statusCode(403);
        given().contentType("application/json").body(Map.of("source", "http://127.0.0.1:9/a.mp4")).post("/v1/jobs")
                .then().statusCode(403).body("error", containsString("127.0.0.1"));
    }

    @Test
    void unknownJobIs404AndDeleteRemovesAJob() throws Exception {
        given().get("/v1/jobs/nope").then().statusCode(404).body("status", equalTo(404));
        String id = given().multiPart("file", TestMedia.clip(2).toFile()).multiPart("tasks", "codec").post("/v1/jobs")
                .then().statusCode(202).extract().path("id");
        waitUntilFinished(id);
        given().delete("/v1/jobs/" + id).then().statusCode(204);
        given().get("/v1/jobs/" + id).then().statusCode(404);
    }

    @Test
    void openApiAndHealthAndMetricsAreServed() {
        given().get("/openapi").then().statusCode(200).body(containsString("/v1/jobs"));
        given().get("/q/health/ready").then().statusCode(200).body(containsString("UP"));
        given().get("/metrics").then().statusCode(200).body(containsString("prism_stage_records_in"));
    }

    static long storedJobs() {
        Path store = Path.of("target/prism-test-data/store");
        if (!Files.isDirectory(store)) return 0;
        try (Stream<Path> s = Files.list(store)) {
            return s.count();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
