package dev.prism.llm.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.prism.llm.checkpoint.DType;
import dev.prism.llm.checkpoint.SafetensorsWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded random weights written as safetensors; above shardBytes it starts a new shard and writes a
 * model.safetensors.index.json, as sharded Hugging Face checkpoints do. Values are uniform with the
 * requested standard deviation (cheaper than Gaussian for the 100M benchmark model).
 */
final class ShardedWeightWriter {
    private final Path dir;
    private final DType dtype;
    private final long shardBytes;
    private final Random random;
    private final Map<String, String> index = new LinkedHashMap<>();
    private SafetensorsWriter current = new SafetensorsWriter();
    private int shard;
    private long totalBytes;

    ShardedWeightWriter(Path dir, DType dtype, long shardBytes, long seed) {
        this.dir = dir;
        this.dtype = dtype;
        this.shardBytes = shardBytes;
        this.random = new Random(seed);
    }

    /** A random tensor: mean + uniform noise of standard deviation std. */
    void random(String name, double mean, double std, long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[Math.toIntExact(n)];
        double a = std * Math.sqrt(3);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + (random.nextDouble() * 2 - 1) * a);
        }
        put(name, shape, v);
    }

    /** A linear layer's weight [out, in] scaled so activations keep unit-ish variance. */
    void linear(String name, long out, long in) {
        random(name, 0, 1 / Math.sqrt(in), out, in);
    }

    void put(String name, long[] shape, float[] values) {
        if (current.dataBytes() > 0 && current.dataBytes() + (long) values.length * dtype.bytes() > shardBytes) {
            flush();
        }
        current.put(name, dtype, shape, values);
        index.put(name, shardName(shard));
        totalBytes += (long) values.length * dtype.bytes();
    }

    private static String shardName(int i) {
        return String.format("model-%05d.safetensors", i + 1);
    }

    private void flush() {
        try {
            current.write(dir.resolve(shardName(shard)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        shard++;
        current = new SafetensorsWriter();
    }

    /** Writes the last shard; a single shard becomes model.safetensors without an index. */
    long finish() throws IOException {
        if (shard == 0) {
            current.write(dir.resolve("model.safetensors"));
            return totalBytes;
        }
        flush();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.putObject("metadata").put("total_size", totalBytes);
        ObjectNode map = root.putObject("weight_map");
        index.forEach(map::put);
        json.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("model.safetensors.index.json").toFile(), root);
        return totalBytes;
    }
}
