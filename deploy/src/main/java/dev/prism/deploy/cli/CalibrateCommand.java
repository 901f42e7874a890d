package dev.prism.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.prism.deploy.config.PrismConfig;
import dev.prism.deploy.stages.StageServices;
import dev.prism.deploy.stages.VlmStage;
import dev.prism.ingest.MediaException;
import dev.prism.llm.pruning.PlphpCalibrator;
import dev.prism.llm.pruning.PlphpCalibrator.Calibration;
import dev.prism.vision.caption.CaptionException;
import dev.prism.vision.caption.CaptionOptions;
import dev.prism.vision.caption.Captioner;
import dev.prism.vision.caption.VisionBatch;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code prism calibrate plphp}: fit thresholds the papers leave unverified on the user's own media. */
@Dependent
@Unremovable
@Command(name = "calibrate", description = "Calibrate thresholds the papers leave unverified, on your media.",
        subcommands = {CalibrateCommand.Plphp.class})
public class CalibrateCommand implements Runnable {

    @Override
    public void run() {
        System.err.println("prism calibrate: choose a subcommand: plphp (see --help)");
    }

    /**
     * PLPHP's alpha, beta and r (ALGORITHMS.md 2.3): every decoded segment is encoded by the service's captioner
     * (same checkpoint choice and prism.vlm.* options as the stages), each (segment, prompt) pair's unpruned prefill
     * logs the vision attention ratio of every layer >= K, alpha/beta are the pooled 67th/33rd percentiles and r is
     * solved for the target mean retention. Prints the prism.vlm.plphp.* lines to paste into the configuration.
     */
    @Dependent
    @Unremovable
    @Command(name = "plphp", description = "PLPHP alpha, beta, r for a target mean retention (ALGORITHMS.md 2.3); "
            + "prints the prism.vlm.plphp.* lines to set.")
    public static class Plphp implements Callable<Integer> {
        static final String NAME = "prism calibrate plphp";
        static final double[] SWEEP = {0.1, 0.2, 0.3};

        @Parameters(paramLabel = "VIDEO", arity = "1..*", description = "video files to calibrate on") List<Path> media;
        @Option(names = "--prompt", description = "caption question (repeatable: every segment is paired with every "
                + "prompt; default: the service's caption question)") List<String> prompts;
        @Option(names = "--target-retention", defaultValue = "0.5", description = "wanted mean retention of vision "
                + "tokens over layers >= K (default ${DEFAULT-VALUE}: KV more than 50% smaller)") double target;
        @Option(names = "--delta-r", defaultValue = "0.1", description = "retention offset of the attentive / "
                + "indifferent layers (default ${DEFAULT-VALUE})") double deltaR;
        @Option(names = "--sweep", description = "also calibrate at delta-r 0.1, 0.2 and 0.3 and print each") boolean sweep;
        @Option(names = "--first-layer", description = "K, the first pruned decoder layer (default: "
                + "prism.vlm.plphp.first-layer, else 2)") Integer firstLayer;
        @Option(names = "--frame-rate", defaultValue = "1", description = "frames sampled per second (default "
                + "${DEFAULT-VALUE}, as the service)") double frameRate;
        @Option(names = "--segment-seconds", defaultValue = "2", description = "segment length (default "
                + "${DEFAULT-VALUE}, as the service)") double segmentSeconds;
        @Option(names = "--frames-per-segment", description = "at most this many frames per segment, evenly spaced "
                + "(default: all sampled)") Integer framesPerSegment;
        @Option(names = "--segments", description = "stop after this many segments in all (default: every segment)")
        Integer maxSegments;
        @Option(names = "--json", description = "also write the calibration as JSON to this file") Path json;
        @Inject PrismConfig config;
        private Captioner captioner;

        @Override
        public Integer call() throws IOException {
            String bad = checkNumbers();
            if (bad != null) return refuse(bad);
            for (Path p : media) {
                if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                    return refuse("'" + p + "' is not a readable file: give the path of a video file");
                }
            }
            List<String> questions = prompts == null || prompts.isEmpty() ? List.of(VlmStage.DEFAULT_QUESTION) : prompts;
            for (String q : questions) {
                if (q == null || q.isBlank()) return refuse("--prompt is empty: give a question about the video");
            }
            CaptionOptions options;
            try {
                options = StageServices.captionOptions(config.vlm());
                if (firstLayer != null) {
                    options = options.toBuilder().plphpParams(options.plphpAlpha(), options.plphpBeta(),
                            options.plphpR(), options.plphpDeltaR(), firstLayer, options.plphpAggregation()).build();
                }
            } catch (IllegalArgumentException | CaptionException e) {
                return refuse("configuration: " + e.getMessage());
            }
            try {
                return calibrate(options, questions);
            } finally {
                if (captioner != null) captioner.close();
            }
        }

        /** Opened at the first decoded segment, so bad media is refused before the model loads. */
        private Captioner captioner(CaptionOptions options) {
            if (captioner == null) {
                System.err.println("loading the vision-language model ...");
                captioner = StageServices.openCaptioner(config, Path.of(config.dataDir()).resolve("cache"), options);
            }
            return captioner;
        }

        private int calibrate(CaptionOptions options, List<String> questions) throws IOException {
            ProgressBar bar = new ProgressBar(System.err);
            List<VisionBatch> segments = new ArrayList<>();
            try {
                CalibrationFrames frames = new CalibrationFrames(config, segmentSeconds, frameRate, framesPerSegment);
                for (int i = 0; i < media.size() && !full(segments); i++) {
                    int file = i;
                    String label = media.get(i).getFileName().toString();
                    frames.read(media.get(i), () -> full(segments), (f, fraction) -> {
                        segments.add(captioner(options).encode(f));
                        bar.update("encode", (file + fraction) / media.size(), label + " segment " + segments.size());
                    });
                }
            } catch (MediaException | CalibrationFrames.NoVideoException | CaptionException e) {
                bar.done();
                return refuse(e.getMessage());
            }
            if (segments.isEmpty()) {
                bar.done();
                return refuse("no frames were decoded from " + media + ": give longer videos or raise --frame-rate");
            }
            List<VisionBatch> batches = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (VisionBatch b : segments) {
                for (String q : questions) {
                    batches.add(b);
                    texts.add(q.contains("<image>") ? q : VlmStage.prompt(captioner.architecture(), q));
                }
            }
            TreeSet<Double> deltas = new TreeSet<>();
            deltas.add(deltaR);
            if (sweep) for (double d : SWEEP) deltas.add(d);
            List<Calibration> results = new ArrayList<>();
            Calibration chosen = null;
            try {
                bar.update("calibrate", 0, batches.size() + " prefills");
                // one pass of prefills; every delta-r is solved on the same logged gammas
                List<double[]> gammas = captioner.plphpGammas(batches, texts);
                PlphpCalibrator calibrator = new PlphpCalibrator();
                for (double d : deltas) {
                    Calibration c = calibrator.calibrate(gammas, target, d);
                    results.add(c);
                    if (d == deltaR) chosen = c;
                }
            } catch (CaptionException | IllegalArgumentException e) {
                bar.done();
                return refuse(e.getMessage());
            }
            bar.update("calibrate", 1, "done");
            bar.done();
            report(captioner, options, segments.size(), questions, batches.size(), results, chosen);
            return 0;
        }

        private boolean full(List<VisionBatch> segments) {
            return maxSegments != null && segments.size() >= maxSegments;
        }

        private void report(Captioner captioner, CaptionOptions options, int segments, List<String> questions, int pairs,
                List<Calibration> results, Calibration chosen) throws IOException {
            String model = captioner.isDemo()
                    ? "demo (generated prism-demo-" + captioner.architecture() + " weights: values fit the demo model only; "
                    + "set prism.models-dir to calibrate a real checkpoint)"
                    : StageServices.vlmCheckpoint(config) + " (" + captioner.architecture() + ")";
            System.out.println("model: " + model);
            System.out.printf("calibration set: %d segments x %d prompts = %d prefills, layers >= K=%d%n", segments,
                    questions.size(), pairs, options.plphpFirstLayer());
            if (pairs < 50) {
                System.out.println("note: ALGORITHMS.md 2.3 suggests 50-200 calibration prompts; give more video or prompts");
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Calibration c : results) rows.add(row(c));
            BenchCommand.printTable(System.out, rows);
            Map<String, String> lines = configLines(chosen, options.plphpFirstLayer());
            System.out.println();
            System.out.println("configuration for delta-r " + chosen.deltaR() + " (application.properties or -D):");
            lines.forEach((k, v) -> System.out.println(k + "=" + v));
            if (json != null) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("model", captioner.isDemo() ? "demo" : String.valueOf(StageServices.vlmCheckpoint(config)));
                doc.put("architecture", captioner.architecture());
                doc.put("demo", captioner.isDemo());
                doc.put("media", media.stream().map(Path::toString).toList());
                doc.put("prompts", questions);
                doc.put("segments", segments);
                doc.put("prefills", pairs);
                doc.put("firstLayer", options.plphpFirstLayer());
                doc.put("calibrations", rows);
                doc.put("config", lines);
                Files.write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc));
                System.out.println("wrote " + json);
            }
        }

        static Map<String, Object> row(Calibration c) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("deltaR", c.deltaR());
            r.put("alpha", c.alpha());
            r.put("beta", c.beta());
            r.put("r", c.r());
            r.put("r attentive", Math.min(1, c.r() + c.deltaR()));
            r.put("r indifferent", Math.max(0, c.r() - c.deltaR()));
            r.put("target", c.targetRetention());
            r.put("realised", c.realisedRetention());
            // logged (prompt, layer) pairs per class: ALGORITHMS.md 2.1's three classes
            r.put("attentive", c.attentive());
            r.put("balanced", c.balanced());
            r.put("indifferent", c.indifferent());
            return r;
        }

        /** Six significant digits: short enough to read, and alpha > beta still holds after rounding. */
        static Map<String, String> configLines(Calibration c, int k) {
            String alpha = digits(c.alpha());
            String beta = digits(c.beta());
            if (!(Double.parseDouble(alpha) > Double.parseDouble(beta))) {
                alpha = Double.toString(c.alpha());
                beta = Double.toString(c.beta());
            }
            Map<String, String> m = new LinkedHashMap<>();
            m.put("prism.vlm.plphp.alpha", alpha);
            m.put("prism.vlm.plphp.beta", beta);
            m.put("prism.vlm.plphp.r", digits(c.r()));
            m.put("prism.vlm.plphp.delta-r", digits(c.deltaR()));
            m.put("prism.vlm.plphp.first-layer", Integer.toString(k));
            return m;
        }

        static String digits(double v) {
            return new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
        }

        private String checkNumbers() {
            if (!(target >= 0 && target <= 1)) return "--target-retention " + target + " is out of range: give 0 to 1";
            if (!(deltaR >= 0 && deltaR <= 1)) return "--delta-r " + deltaR + " is out of range: give 0 to 1 (e.g. 0.1)";
            if (!(frameRate > 0 && frameRate <= 30)) return "--frame-rate " + frameRate + " is out of range: give (0, 30]";
            if (!(segmentSeconds >= 0.5 && segmentSeconds <= 60)) {
                return "--segment-seconds " + segmentSeconds + " is out of range: give 0.5 to 60";
            }
            if (framesPerSegment != null && framesPerSegment < 1) {
                return "--frames-per-segment " + framesPerSegment + " is out of range: give 1 or more";
            }
            if (maxSegments != null && maxSegments < 1) return "--segments " + maxSegments + " is out of range: give 1 or more";
            if (firstLayer != null && firstLayer < 0) return "--first-layer " + firstLayer + " is out of range: give 0 or more";
            return null;
        }

        private static int refuse(String why) {
            System.err.println(NAME + ": " + why);
            return 2;
        }
    }
}
