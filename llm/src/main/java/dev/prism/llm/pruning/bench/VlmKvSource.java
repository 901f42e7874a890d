package dev.prism.llm.pruning.bench;

import dev.prism.codecs.cachegen.KvCache;
import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.generate.CachePolicy;
import dev.prism.llm.generate.GenerationOptions;
import dev.prism.llm.kv.LayerKv;
import dev.prism.llm.runtime.RuntimeOptions;
import dev.prism.llm.testing.TinyCheckpoints;
import dev.prism.llm.vlm.Prompt;
import dev.prism.llm.vlm.VisionLanguageModel;
import dev.prism.llm.vlm.VisionTokens;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The unpruned prefill KV cache of the {@code prism bench vlm} model (the vision module's ~100M LLaVA layout: CLIP
 * 384x6 at 378 px / 14 px patches, 729 tokens per frame, Llama 768x12 with GQA 12/4, seed 2024, random weights) over
 * a generated segment, for the CacheGen analysis: what the encoded cached context of that benchmark holds, without
 * the vision module. The segment is a static scene of flat colour blocks with a light gradient and two moving
 * squares, as the vision benchmark's; the vision tokens are frames x patches in raster order after the prompt head.
 */
final class VlmKvSource {
    static final String PROMPT = "user : <image> describe what happens in this picture with the man and the dog on "
            + "the street in the day . what is the person doing there ? assistant :";
    static final int IMAGE = 378;

    /** The cache plus where its vision tokens sit. */
    record Source(KvCache kv, int visionStart, int frames, int patchesPerFrame) {
    }

    private VlmKvSource() {
    }

    /** Reads {@code file} when it exists, else runs the model and writes it there (null: no file). */
    static Source load(int frames, int threads, Path file, PrintStream progress) throws IOException {
        if (file != null && Files.exists(file)) {
            return read(file);
        }
        Path tmp = Files.createTempDirectory("prism-cachegen-vlm");
        try {
            long t0 = System.nanoTime();
            Path dir = TinyCheckpoints.writeLlava(tmp.resolve("vlm"),
                    new TinyCheckpoints.VisionDims("clip", 384, 6, 1536, 6, IMAGE, 14),
                    new TinyCheckpoints.DecoderDims("llama", 768, 12, 4, 2048, 12, 8192, false, null), 2024,
                    DType.F32, 256L << 20);
            progress.printf("checkpoint written in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            Source s;
            try (VisionLanguageModel vlm = VisionLanguageModel.load(dir, RuntimeOptions.threads(threads))) {
                int h = vlm.decoder().spec().hidden();
                float[] all = null;
                int per = 0;
                for (int f = 0; f < frames; f++) {
                    VisionTokens v = vlm.encodeImage(scene(IMAGE, f), IMAGE, IMAGE);
                    per = v.count();
                    if (all == null) {
                        all = new float[frames * per * h];
                    }
                    System.arraycopy(v.embeddings(), 0, all, f * per * h, per * h);
                }
                VisionTokens vt = new VisionTokens(all, frames * per, h, 1, 1, frames * per, false);
                Prompt p = vlm.prepare(PROMPT, vt);
                KvCache[] captured = new KvCache[1];
                CachePolicy grab = new CachePolicy() {
                    @Override
                    public void afterPrefill(dev.prism.llm.kv.KvCache cache, long seen) {
                        captured[0] = convert(cache);
                    }
                };
                vlm.generate(p, GenerationOptions.greedy(1), grab, dev.prism.llm.generate.TokenListener.NONE);
                s = new Source(captured[0], p.visionPositions()[0], frames, per);
            }
            progress.printf("prefill cache of %d tokens in %.1f s%n", s.kv().tokens(), (System.nanoTime() - t0) / 1e9);
            if (file != null) {
                write(s, file);
            }
            return s;
        } finally {
            try (var w = Files.walk(tmp)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
            }
        }
    }

    static KvCache convert(dev.prism.llm.kv.KvCache cache) {
        int layers = cache.layers();
        LayerKv first = cache.layer(0);
        int heads = first.kvHeads();
        int t = first.maxLength();
        float[][][][] k = new float[layers][heads][t][];
        float[][][][] v = new float[layers][heads][t][];
        for (int l = 0; l < layers; l++) {
            for (int h = 0; h < heads; h++) {
                for (int e = 0; e < t; e++) {
                    k[l][h][e] = cache.layer(l).key(h, e);
                    v[l][h][e] = cache.layer(l).value(h, e);
                }
            }
        }
        return new KvCache(k, v);
    }

    /** Flat colour blocks with a light gradient; one square moves right, one moves down, frame by frame. */
    static byte[] scene(int size, int frame) {
        byte[] rgb = new byte[size * size * 3];
        int cell = size / 6;
        int box = size / 6;
        int ax = (frame * size / 16) % (size - box);
        int by = (size / 2 + frame * size / 20) % (size - box);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int blockId = (y / cell) * 7 + x / cell;
                int[] c = {30 + (blockId * 37) % 180 + x * 20 / size, 60 + (blockId * 53) % 150 + y * 20 / size,
                    40 + (blockId * 71) % 160};
                if (x >= ax && x < ax + box && y >= size / 5 && y < size / 5 + box) {
                    c = new int[] {250, 240, 30};
                } else if (x >= size / 2 && x < size / 2 + box && y >= by && y < by + box) {
                    c = new int[] {20, 30, 230};
                }
                for (int ch = 0; ch < 3; ch++) {
                    rgb[(y * size + x) * 3 + ch] = (byte) c[ch];
                }
            }
        }
        return rgb;
    }

    private static void write(Source s, Path file) throws IOException {
        KvCache kv = s.kv();
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(kv.layers());
            out.writeInt(kv.kvHeads());
            out.writeInt(kv.tokens());
            out.writeInt(kv.headDim());
            out.writeInt(s.visionStart());
            out.writeInt(s.frames());
            out.writeInt(s.patchesPerFrame());
            for (float[][][][] part : new float[][][][][] {kv.keys(), kv.values()}) {
                for (float[][][] layer : part) {
                    for (float[][] head : layer) {
                        for (float[] row : head) {
                            for (float x : row) {
                                out.writeFloat(x);
                            }
                        }
                    }
                }
            }
        }
    }

    private static Source read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            int layers = in.readInt();
            int heads = in.readInt();
            int tokens = in.readInt();
            int dim = in.readInt();
            int start = in.readInt();
            int frames = in.readInt();
            int per = in.readInt();
            KvCache kv = KvCache.zeros(layers, heads, tokens, dim);
            for (float[][][][] part : new float[][][][][] {kv.keys(), kv.values()}) {
                for (float[][][] layer : part) {
                    for (float[][] head : layer) {
                        for (float[] row : head) {
                            for (int i = 0; i < dim; i++) {
                                row[i] = in.readFloat();
                            }
                        }
                    }
                }
            }
            return new Source(new KvCache(kv.keys(), kv.values()), start, frames, per);
        }
    }
}
