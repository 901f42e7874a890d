package dev.prism.deploy;

import dev.prism.deploy.cli.SampleClip;
import java.nio.file.Files;
import java.nio.file.Path;

/** Media the deploy tests generate themselves (real speech from PRISM_ASSETS when there). */
public final class TestMedia {

    private TestMedia() {
    }

    public static Path assets() {
        String p = System.getProperty("prism.assets");
        if (p == null || p.isBlank() || p.startsWith("${")) p = System.getenv("PRISM_ASSETS");
        return p == null || p.isBlank() ? null : Path.of(p);
    }

    public static Path speechWav() {
        Path a = assets();
        return a == null ? null : a.resolve("media/speech/sense_and_sensibility_01_austen_64kb-0890.wav");
    }

    /** A few seconds of MP4 with a moving square and (when the assets are present) real read speech. */
    public static synchronized Path clip(double seconds) throws Exception {
        Path dir = Path.of("target", "test-media");
        Files.createDirectories(dir);
        Path speech = speechWav();
        // the name says what the audio is, so a clip cached without the assets is never reused with them
        Path f = dir.resolve("clip-" + seconds + (speech != null ? "-speech" : "-tone") + ".mp4");
        if (!Files.exists(f)) SampleClip.write(f, seconds, 160, 120, 10, speech);
        return f.toAbsolutePath();
    }
}
