package dev.prism.codecs.io;

import java.io.IOException;

/** A WAV file the codec cannot read; the message names the file and the problem. */
public class WavFormatException extends IOException {
    public WavFormatException(String message) {
        super(message);
    }
}
