package dev.prism.llm.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * All tensors of a checkpoint directory: {@code model.safetensors.index.json} (sharded) when present,
 * otherwise every {@code *.safetensors} file in the directory. Tensors are mapped, never copied.
 */
public final class Weights implements AutoCloseable {
    private final Map<String, SafetensorsFile> byName = new LinkedHashMap<>();
    private final List<SafetensorsFile> files = new ArrayList<>();

    private Weights() {
    }

    public static Weights open(Path dir) {
        Weights w = new Weights();
        try {
            Path index = dir.resolve("model.safetensors.index.json");
            if (Files.exists(index)) {
                JsonNode map = new ObjectMapper().readTree(index.toFile()).get("weight_map");
                if (map == null) {
                    throw new CheckpointException(index + ": no 'weight_map' object (is this a safetensors index?)");
                }
                Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
                for (var it = map.fields(); it.hasNext(); ) {
                    var e = it.next();
                    String shard = e.getValue().asText();
                    Path p = dir.resolve(shard);
                    if (!Files.exists(p)) {
                        throw new CheckpointException(index + " lists shard '" + shard + "' for tensor '" + e.getKey()
                                + "' but " + p + " does not exist (incomplete download? run `prism models fetch` again)");
                    }
                    SafetensorsFile f = shards.computeIfAbsent(shard, s -> w.add(SafetensorsFile.open(p)));
                    if (!f.contains(e.getKey())) {
                        throw new CheckpointException(p + " does not contain tensor '" + e.getKey() + "' that the index assigns to it");
                    }
                    w.byName.put(e.getKey(), f);
                }
            } else {
                List<Path> found;
                try (Stream<Path> s = Files.list(dir)) {
                    found = s.filter(p -> p.getFileName().toString().endsWith(".safetensors")).sorted().toList();
                }
                if (found.isEmpty()) {
                    throw new CheckpointException(dir + ": no *.safetensors file and no model.safetensors.index.json");
                }
                for (Path p : found) {
                    SafetensorsFile f = w.add(SafetensorsFile.open(p));
                    for (String n : f.names()) {
                        w.byName.put(n, f);
                    }
                }
            }
        } catch (IOException e) {
            w.close();
            throw new CheckpointException(dir + ": cannot read weights: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        return w;
    }

    private SafetensorsFile add(SafetensorsFile f) {
        files.add(f);
        return f;
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    public Set<String> names() {
        return new TreeSet<>(byName.keySet());
    }

    public Tensor get(String name) {
        SafetensorsFile f = byName.get(name);
        if (f == null) {
            throw new CheckpointException("checkpoint has no tensor '" + name + "' (architecture mismatch? "
                    + byName.size() + " tensors present)");
        }
        return f.tensor(name);
    }

    /** Total bytes of tensor data, for RSS-versus-checkpoint comparisons. */
    public long dataBytes() {
        long n = 0;
        for (String name : byName.keySet()) {
            Tensor t = get(name);
            n += t.elementCount() * t.dtype().bytes();
        }
        return n;
    }

    @Override
    public void close() {
        files.forEach(SafetensorsFile::close);
    }
}
