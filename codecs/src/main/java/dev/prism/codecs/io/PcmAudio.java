package dev.prism.codecs.io;

/** Mono float PCM in [-1, 1] at a sample rate. */
public record PcmAudio(float[] samples, int sampleRate) {
    public PcmAudio {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        }
    }

    public double seconds() {
        return (double) samples.length / sampleRate;
    }
}
