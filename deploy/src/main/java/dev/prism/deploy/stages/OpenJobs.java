package dev.prism.deploy.stages;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Per-job state of a streaming stage (an encoder, a transcriber, a Gaussian builder), bounded: the least
 * recently used job's state is dropped (and closed) past {@code max}; it is rebuilt if that job's records
 * come back. One per stage worker; not thread-safe.
 */
final class OpenJobs<T> {

    private final Map<String, T> map;

    OpenJobs(int max, Consumer<T> onEvict) {
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, T> e) {
                if (size() <= max) return false;
                onEvict.accept(e.getValue());
                return true;
            }
        };
    }

    T get(String jobId) {
        return map.get(jobId);
    }

    void put(String jobId, T state) {
        map.put(jobId, state);
    }

    T remove(String jobId) {
        return map.remove(jobId);
    }
}
