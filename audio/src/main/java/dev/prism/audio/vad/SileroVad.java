package dev.prism.audio.vad;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.prism.audio.AudioException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Silero VAD v5 (ONNX) run through DJL's OnnxRuntime engine with {@link SileroTranslator}. Windows are
 * scored in order with the state carried from one to the next, so one call is one sequential pass;
 * every call gets its own predictor (and state), so calls may run in parallel.
 */
public final class SileroVad implements VoiceActivityDetector {
    private final ZooModel<SileroTranslator.Step, SileroTranslator.Result> model;
    private final Path file;

    public SileroVad(Path onnxFile) {
        if (onnxFile == null || !Files.isRegularFile(onnxFile)) {
            throw new AudioException("Silero VAD model not found at " + onnxFile
                    + "; point the VAD model path at silero_vad.onnx or leave it unset for the energy VAD");
        }
        this.file = onnxFile;
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        String fileName = onnxFile.getFileName().toString();
        Criteria<SileroTranslator.Step, SileroTranslator.Result> criteria = Criteria.builder()
                .setTypes(SileroTranslator.Step.class, SileroTranslator.Result.class)
                .optModelPath(onnxFile.getParent())
                .optModelName(fileName.endsWith(".onnx") ? fileName.substring(0, fileName.length() - 5) : fileName)
                .optEngine("OnnxRuntime")
                .optTranslator(new SileroTranslator())
                .build();
        try {
            this.model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new AudioException("Cannot load Silero VAD from " + onnxFile + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "silero-vad";
    }

    @Override
    public float[] speechProbabilities(float[] pcm16k) {
        int frames = (pcm16k.length + FRAME - 1) / FRAME;
        float[] probs = new float[frames];
        float[] state = new float[SileroTranslator.STATE_SIZE];
        float[] context = new float[SileroTranslator.CONTEXT];
        try (Predictor<SileroTranslator.Step, SileroTranslator.Result> predictor = model.newPredictor()) {
            for (int f = 0; f < frames; f++) {
                float[] in = new float[SileroTranslator.CONTEXT + FRAME];
                System.arraycopy(context, 0, in, 0, context.length);
                int n = Math.min(FRAME, pcm16k.length - f * FRAME);
                System.arraycopy(pcm16k, f * FRAME, in, context.length, n);
                SileroTranslator.Result r = predictor.predict(new SileroTranslator.Step(in, state));
                probs[f] = r.probability();
                state = r.state();
                System.arraycopy(in, in.length - context.length, context, 0, context.length);
            }
        } catch (TranslateException e) {
            throw new AudioException("Silero VAD (" + file + ") failed on " + pcm16k.length + " samples: "
                    + e.getMessage(), e);
        }
        return probs;
    }

    @Override
    public void close() {
        model.close();
    }
}
