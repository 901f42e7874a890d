package dev.prism.audio.streaming;

import java.util.Arrays;

/**
 * The audio a streaming recognizer still holds: samples from an absolute stream position on, appended as chunks
 * arrive and dropped from the front once committed, so memory stays bounded over a stream of any length.
 */
final class StreamBuffer {
    private float[] samples;
    private int length;
    private long startSample;

    StreamBuffer(int initialCapacity) {
        samples = new float[initialCapacity];
    }

    void append(float[] pcm, int from) {
        int n = pcm.length - from;
        if (length + n > samples.length) {
            samples = Arrays.copyOf(samples, Math.max(samples.length * 2, length + n));
        }
        System.arraycopy(pcm, from, samples, length, n);
        length += n;
    }

    /** Drops the samples before absolute position {@code cut} (nothing when it is not past the start). */
    void dropBefore(long cut) {
        if (cut > startSample) {
            int drop = (int) Math.min(length, cut - startSample);
            System.arraycopy(samples, drop, samples, 0, length - drop);
            length -= drop;
            startSample += drop;
        }
    }

    /** The backing array: valid from 0 to {@link #length()}, index 0 is {@link #startSample()}. */
    float[] samples() {
        return samples;
    }

    float[] copy() {
        return Arrays.copyOf(samples, length);
    }

    int length() {
        return length;
    }

    long startSample() {
        return startSample;
    }

    long endSample() {
        return startSample + length;
    }
}
