package dev.prism.audio;

import dev.prism.audio.asr.SphinxOptions;
import dev.prism.audio.asr.SphinxRecognizer;

/** One Sphinx4 recognizer for all tests in the JVM (loading it takes seconds). */
public final class SharedSphinx {
    private static SphinxRecognizer instance;

    private SharedSphinx() {
    }

    public static synchronized SphinxRecognizer get() {
        if (instance == null) {
            instance = new SphinxRecognizer(SphinxOptions.defaults());
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance;
    }
}
