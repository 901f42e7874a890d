package dev.prism.vision.depth;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Monocular depth from a standard ONNX export (MiDaS / Depth-Anything style) through DJL's OnnxRuntime engine.
 * The {@link Translator} keeps image pre/post-processing apart from the engine: bilinear resize to the model size,
 * [0,1] scaling and mean/std normalisation into NCHW; the output (relative inverse depth) is resized back to the
 * frame. Outputs are labelled {@code onnx:<file name>}. DJL runs offline (no network at engine load).
 */
public final class OnnxDepthEstimator implements DepthEstimator {
    private final ZooModel<Rgb, float[]> model;
    private final Predictor<Rgb, float[]> predictor;
    private final String name;

    /** A frame handed to the translator. */
    record Rgb(int width, int height, byte[] data) {
    }

    public OnnxDepthEstimator(Path modelFile, OnnxDepthConfig config) {
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");
        if (!Files.isRegularFile(modelFile)) {
            throw new DepthEstimationException("depth model " + modelFile + " does not exist or is not a file; pass the path of an ONNX export");
        }
        this.name = "onnx:" + modelFile.getFileName();
        try {
            Criteria<Rgb, float[]> criteria = Criteria.builder()
                    .setTypes(Rgb.class, float[].class)
                    .optModelPath(modelFile)
                    .optEngine("OnnxRuntime")
                    .optTranslator(new DepthTranslator(config))
                    .build();
            model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new DepthEstimationException("could not load depth model " + modelFile + " with ONNX Runtime (" + e.getMessage()
                    + "); check that it is a valid ONNX file with one NCHW image input", e);
        }
        predictor = model.newPredictor();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public DepthMap estimate(int width, int height, byte[] rgb) {
        if (width <= 0 || height <= 0 || rgb == null || rgb.length != width * height * 3) {
            throw new IllegalArgumentException("RGB frame " + width + "x" + height + " needs " + width * height * 3 + " bytes");
        }
        try {
            float[] depth = predictor.predict(new Rgb(width, height, rgb));
            return new DepthMap(width, height, depth, DepthMap.Kind.RELATIVE_INVERSE_DEPTH, name);
        } catch (TranslateException e) {
            throw new DepthEstimationException("depth model " + name + " failed on a " + width + "x" + height + " frame: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /** Image in, relative inverse depth at frame size out. */
    static final class DepthTranslator implements Translator<Rgb, float[]> {
        private final OnnxDepthConfig config;

        DepthTranslator(OnnxDepthConfig config) {
            this.config = config;
        }

        /** No batchifier: the translator already builds the NCHW batch of one. */
        @Override
        public Batchifier getBatchifier() {
            return null;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, Rgb in) {
            ctx.setAttachment("size", new int[]{in.width(), in.height()});
            float[] chw = normalisedChw(in, config);
            NDArray x = ctx.getNDManager().create(chw, new Shape(1, 3, config.inputHeight(), config.inputWidth()));
            return new NDList(x);
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            NDArray out = list.singletonOrThrow();
            long[] shape = out.getShape().getShape();
            if (shape.length < 2 || shape.length > 4) {
                throw new IllegalStateException("depth output has shape " + out.getShape() + ", expected [1,H,W] or [1,1,H,W]");
            }
            int oh = (int) shape[shape.length - 2], ow = (int) shape[shape.length - 1];
            if ((long) oh * ow != out.size()) throw new IllegalStateException("depth output " + out.getShape() + " has more than one map");
            int[] size = (int[]) ctx.getAttachment("size");
            return Resample.bilinear(out.toFloatArray(), ow, oh, size[0], size[1]);
        }
    }

    /** The model input: bilinear resize, /255, (x - mean) / std, channel-planar. */
    static float[] normalisedChw(Rgb in, OnnxDepthConfig c) {
        int w = c.inputWidth(), h = c.inputHeight(), plane = w * h;
        float[] out = new float[3 * plane];
        for (int ch = 0; ch < 3; ch++) {
            float[] src = new float[in.width() * in.height()];
            for (int i = 0; i < src.length; i++) src[i] = (in.data()[i * 3 + ch] & 0xFF) / 255f;
            float[] r = Resample.bilinear(src, in.width(), in.height(), w, h);
            for (int i = 0; i < plane; i++) out[ch * plane + i] = (r[i] - c.mean()[ch]) / c.std()[ch];
        }
        return out;
    }
}
