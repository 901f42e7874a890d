package dev.prism.streaming.events;

/** Implemented by events that carry a binary body next to their JSON metadata. */
public interface Payload {
    byte[] payload();
}
