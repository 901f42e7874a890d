package dev.prism.deploy.stages;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Callable;

/**
 * A heavy library object (a recognizer, learned codebooks, a model) prepared on a background thread when
 * the stage starts, so the process is up and consuming at once; the first record waits for it.
 */
public final class Background<T> {

    private final CompletableFuture<T> future;
    private final String what;

    Background(String what, Callable<T> load) {
        this.what = what;
        this.future = CompletableFuture.supplyAsync(() -> {
            try {
                return load.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    public T get() {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot prepare " + what + ": " + c.getMessage(), c);
        }
    }
}
