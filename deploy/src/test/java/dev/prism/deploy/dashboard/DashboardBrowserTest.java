package dev.prism.deploy.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.prism.deploy.TestMedia;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The dashboard in a real headless chromium: upload, live job state, transcript, captions, 3D view, errors. */
@QuarkusTest
class DashboardBrowserTest {

    static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @BeforeAll
    static void start() throws Exception {
        browser = new Browser();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) browser.close();
    }

    private WebElement open() {
        browser.driver.manage().window().setSize(new Dimension(1366, 900));
        browser.driver.get(root.toString());
        waitFor(Duration.ofSeconds(20), () -> text(By.id("conn")).equals("live"));
        return browser.driver.findElement(By.id("file"));
    }

    private String text(By by) {
        return browser.driver.findElement(by).getText().trim();
    }

    private void waitFor(Duration max, java.util.function.BooleanSupplier ok) {
        new WebDriverWait(browser.driver, max, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
                .until(d -> ok.getAsBoolean());
    }

    private Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser.driver).executeScript(script, args);
    }

    @Test
    void uploadedClipIsFollowedLiveToItsFinalState() throws Exception {
        Path clip = TestMedia.clip(2);
        open().sendKeys(clip.toString());
        // The upload reports progress, then the page switches to the new job.
        waitFor(Duration.ofSeconds(30), () -> text(By.id("upload-msg")).startsWith("Accepted"));
        assertEquals("100", browser.driver.findElement(By.id("upload-bar")).getDomProperty("value"));
        String id = browser.driver.getCurrentUrl().replaceAll(".*#/jobs/", "");
        assertTrue(id.matches("[0-9a-f]{16}"), "page opened the new job, url " + browser.driver.getCurrentUrl());
        By listEntry = By.cssSelector("a[data-job='" + id + "']");
        waitFor(Duration.ofSeconds(10), () -> !browser.driver.findElements(listEntry).isEmpty());
        browser.screenshot("dashboard-job-running");

        // The list and the job header reach the final state through the event stream (no reload).
        try {
            // A liveness bound for the whole pipeline on a busy 2-core machine, not a speed assertion.
            waitFor(Duration.ofSeconds(480), () -> List.of("done", "failed")
                    .contains(browser.driver.findElement(listEntry).getDomAttribute("data-state")));
        } catch (org.openqa.selenium.TimeoutException e) {
            browser.screenshot("dashboard-job-timeout");
            throw new AssertionError("job did not reach a final state on the page; server says "
                    + RestAssured.get("/v1/jobs/" + id).asString(), e);
        }
        JsonPath job = RestAssured.get("/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
        String finalState = job.getString("state");
        waitFor(Duration.ofSeconds(10), () -> finalState.equals(
                browser.driver.findElement(By.cssSelector(".job-head")).getDomAttribute("data-state")));
        waitFor(Duration.ofSeconds(5), () -> finalState.equals(browser.driver.findElement(listEntry).getDomAttribute("data-state")));

        Map<String, String> tasks = job.getMap("taskStatus");
        // Stages table lists every stage the server reports, with its state.
        Map<String, Map<String, Object>> stages = job.getMap("stages");
        waitFor(Duration.ofSeconds(10), () -> stages.keySet().stream().allMatch(s -> stageState(s).equals(String.valueOf(stages.get(s).get("state")))));

        if ("done".equals(tasks.get("transcript"))) {
            // The page shows exactly what the recognizer produced: words when it heard some, a note when not.
            int words = RestAssured.get("/v1/jobs/" + id + "/transcript.json").then().statusCode(200).extract()
                    .jsonPath().getList("segments.words.flatten()").size();
            if (words > 0) {
                waitFor(Duration.ofSeconds(10), () -> browser.driver.findElements(By.cssSelector(".transcript li .word")).size() >= words);
            } else {
                waitFor(Duration.ofSeconds(10), () -> text(By.cssSelector(".task-note[data-task=transcript]")).contains("no words"));
            }
        } else {
            checkTask("transcript", tasks.get("transcript"), By.cssSelector(".transcript li"));
        }
        checkTask("captions", tasks.get("captions"), By.cssSelector(".captions li"));
        if ("done".equals(tasks.get("transcript"))) {
            assertTrue(browser.driver.findElements(By.cssSelector(".transcript .partial")).isEmpty(),
                    "a finished transcript shows no partial words");
            waitFor(Duration.ofSeconds(10), () -> !browser.driver.findElements(By.cssSelector("video track[label=Transcript]")).isEmpty());
        }
        if ("done".equals(tasks.get("codec"))) {
            waitFor(Duration.ofSeconds(10), () -> text(By.cssSelector("[data-role=codec-summary]")).contains("segments"));
        }

        // 3D: frames rendered when the server holds a decodable stream, otherwise the explicit empty state.
        By stage3d = By.cssSelector(".splat-stage");
        byte[] frames = RestAssured.given().queryParam("limit", 1).get("/v1/jobs/" + id + "/gaussians/frames").asByteArray();
        int total = java.nio.ByteBuffer.wrap(frames).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(4);
        if (total > 0) {
            waitFor(Duration.ofSeconds(20), () -> "frames".equals(browser.driver.findElement(stage3d).getDomAttribute("data-state")));
            waitFor(Duration.ofSeconds(10), () -> litPixels("canvas[data-role=splat-canvas]") > 100);
        } else {
            waitFor(Duration.ofSeconds(10), () -> "empty".equals(browser.driver.findElement(stage3d).getDomAttribute("data-state"))
                    && text(By.cssSelector("[data-role=splat-status]")).startsWith("No 3D stream for this job"));
        }

        browser.screenshot("dashboard-job-finished");
        browser.driver.manage().window().setSize(new Dimension(1366, 2000));
        browser.screenshot("dashboard-job-finished-full");
        browser.assertNoConsoleErrors(m -> false);
    }

    private String stageState(String stage) {
        List<WebElement> rows = browser.driver.findElements(By.cssSelector("tr[data-stage='" + stage + "']"));
        return rows.isEmpty() ? "" : rows.get(0).getDomAttribute("data-state");
    }

    /** A task's panel shows its outputs when it produced them, and says honestly when it was skipped or failed. */
    private void checkTask(String task, String status, By outputs) {
        By note = By.cssSelector(".task-note[data-task=" + task + "]");
        if ("done".equals(status)) {
            waitFor(Duration.ofSeconds(10), () -> !browser.driver.findElements(outputs).isEmpty());
        } else if ("skipped".equals(status) || "failed".equals(status)) {
            waitFor(Duration.ofSeconds(10), () -> browser.driver.findElement(note).isDisplayed()
                    && text(note).toLowerCase().contains(status));
            assertTrue(browser.driver.findElements(outputs).isEmpty(), task + " is " + status + " but the page shows outputs");
        } else {
            throw new AssertionError("task " + task + " ended as '" + status + "'");
        }
    }

    /** Pixels of a WebGL canvas that differ from the 3D view's background colour. */
    private long litPixels(String selector) {
        Object n = js("""
                const c = document.querySelector(arguments[0]);
                const g = document.createElement('canvas'); g.width = c.width; g.height = c.height;
                const x = g.getContext('2d'); x.drawImage(c, 0, 0);
                const d = x.getImageData(0, 0, c.width, c.height).data; let lit = 0;
                for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 16) + Math.abs(d[i + 1] - 20) + Math.abs(d[i + 2] - 24) > 30) lit++;
                return lit;""", selector);
        return ((Number) n).longValue();
    }

    @Test
    void badUploadShowsTheApisMessageReadably() throws Exception {
        Path noise = Files.createTempFile("prism-noise-", ".mp4");
        byte[] junk = new byte[20_000];
        new Random(7).nextBytes(junk);
        Files.write(noise, junk);
        open().sendKeys(noise.toString());
        By msg = By.id("upload-msg");
        waitFor(Duration.ofSeconds(20), () -> text(msg).contains("refused"));
        String shown = text(msg);
        assertTrue(shown.contains("not a media file"), "the API's reason is shown: " + shown);
        assertFalse(shown.contains("{"), "no raw JSON in the message: " + shown);
        assertEquals("error", browser.driver.findElement(msg).getDomAttribute("class").replace("msg", "").trim());
        browser.screenshot("dashboard-bad-upload");
        // The refused POST itself is logged by the browser as a failed resource load; nothing else may be.
        browser.assertNoConsoleErrors(m -> m.contains("/v1/jobs") && m.contains("415"));
        Files.deleteIfExists(noise);
    }

    @Test
    void splatRendererDrawsGaussiansWhereTheyAre() throws Exception {
        open();
        // Three Gaussians in front of the camera: a red one in the middle, green left, blue right (image axes: y down).
        Object result = ((JavascriptExecutor) browser.driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/splat.js').then((m) => {
                  const c = document.createElement('canvas'); c.width = 200; c.height = 200;
                  const r = new m.SplatRenderer(c);
                  r.setFrame({ count: 3,
                    positions: new Float32Array([0, 0, 2,  -0.5, 0, 2,  0.5, 0, 2]),
                    scales: new Float32Array([0.08, 0.08, 0.01,  0.05, 0.05, 0.01,  0.05, 0.05, 0.01]),
                    rotations: new Float32Array([1, 0, 0, 0,  1, 0, 0, 0,  0.92, 0, 0, 0.38]),
                    colors: new Float32Array([1, 0, 0,  0, 1, 0,  0, 0, 1]),
                    opacities: new Float32Array([1, 1, 1]) });
                  const drawn = r.render({ target: [0, 0, 2], azimuth: 0, elevation: 0, distance: 2, fovY: Math.PI / 3 });
                  const gl = r.gl; const px = new Uint8Array(200 * 200 * 4);
                  gl.readPixels(0, 0, 200, 200, gl.RGBA, gl.UNSIGNED_BYTE, px);
                  const at = (x, y) => { const i = ((199 - y) * 200 + x) * 4; return [px[i], px[i + 1], px[i + 2]]; };
                  let lit = 0;
                  for (let i = 0; i < px.length; i += 4) if (px[i] + px[i + 1] + px[i + 2] > 150) lit++;
                  done({ drawn, lit, center: at(100, 100), corner: at(3, 3),
                         left: at(Math.round(100 - 0.5 / 2 / Math.tan(Math.PI / 6) * 100), 100),
                         right: at(Math.round(100 + 0.5 / 2 / Math.tan(Math.PI / 6) * 100), 100) });
                }).catch((e) => done({ error: String(e) }));""");
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result;
        assertFalse(r.containsKey("error"), "renderer failed: " + r.get("error"));
        assertEquals(3L, ((Number) r.get("drawn")).longValue());
        assertTrue(((Number) r.get("lit")).longValue() > 200, "splats cover pixels: " + r);
        assertDominant(r.get("center"), 0, "centre splat is red");
        // Camera at the origin side looking along +z with y down: data x = -0.5 lands on the left of the image.
        assertDominant(r.get("left"), 1, "left splat is green");
        assertDominant(r.get("right"), 2, "right splat is blue");
        @SuppressWarnings("unchecked")
        List<Number> corner = (List<Number>) r.get("corner");
        assertTrue(corner.get(0).intValue() < 40 && corner.get(1).intValue() < 40 && corner.get(2).intValue() < 40,
                "background stays dark away from the splats: " + corner);
        browser.assertNoConsoleErrors(m -> false);
    }

    @SuppressWarnings("unchecked")
    private static void assertDominant(Object rgb, int channel, String what) {
        List<Number> c = (List<Number>) rgb;
        int v = c.get(channel).intValue();
        for (int k = 0; k < 3; k++) {
            if (k != channel) assertTrue(v > c.get(k).intValue() + 60, what + ": " + c);
        }
    }

    @Test
    void partialWordsLookDifferentFromFinalsAndFinalsReplaceThem() throws Exception {
        open();
        Object result = ((JavascriptExecutor) browser.driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                import('/js/transcript.js').then((m) => {
                  const t = new m.Transcript(() => {});
                  document.body.append(t.root);
                  const w = (word, s, e) => ({ word, start: s, end: e, confidence: 0.9 });
                  t.update({ segment: 0, fin: false, start: 0, end: 1, text: 'hello wor', words: [w('hello', 0, 0.4), w('wor', 0.5, 0.9)] });
                  const partial = t.root.querySelectorAll('li .partial').length;
                  const style = getComputedStyle(t.root.querySelector('.word.partial')).fontStyle;
                  t.update({ segment: 0, fin: true, start: 0, end: 1, text: 'hello world', words: [w('hello', 0, 0.4), w('world', 0.5, 1)] });
                  t.update({ segment: 0, fin: false, start: 0, end: 1, text: 'late', words: [w('late', 0, 1)] });
                  t.update({ segment: 1, fin: false, start: 1, end: 2, text: 'next', words: [w('next', 1, 1.5)] });
                  const lines = [...t.root.querySelectorAll('li')].map((li) => li.textContent);
                  const after = t.root.querySelectorAll('li[data-segment="0"] .partial').length;
                  const finalStyle = getComputedStyle(t.root.querySelector('li[data-segment="0"] .word')).fontStyle;
                  t.root.remove();
                  done({ partial, style, after, finalStyle, lines });
                }).catch((e) => done({ error: String(e) }));""");
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) result;
        assertFalse(r.containsKey("error"), String.valueOf(r.get("error")));
        assertEquals(2L, ((Number) r.get("partial")).longValue(), "both partial words are marked");
        assertEquals("italic", r.get("style"));
        assertEquals(0L, ((Number) r.get("after")).longValue(), "the final replaced the partial, a late partial did not come back");
        assertEquals("normal", r.get("finalStyle"));
        assertEquals(List.of("0:00.0 hello world", "0:01.0 next"), r.get("lines"));
        browser.assertNoConsoleErrors(m -> false);
    }
}
