package dev.prism.ingest.segment;

/**
 * One sampled frame, upright (display rotation applied), packed RGB24, row stride {@code 3*width}.
 *
 * @param ptsSeconds presentation time from the start of the media, in seconds
 * @param width pixels per row
 * @param height rows
 * @param rgb {@code width*height*3} bytes, R G B per pixel
 */
public record VideoFrame(double ptsSeconds, int width, int height, byte[] rgb) {}
