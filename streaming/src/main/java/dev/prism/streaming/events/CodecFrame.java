package dev.prism.streaming.events;

/** Container frames of the neural codec bitstream for one segment (the bytes are the payload). */
public record CodecFrame(String jobId, int segment, double start, double end, boolean last,
                         int bits, String codec, byte[] payload) implements PrismEvent, Payload {
}
