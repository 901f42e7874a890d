/** Small AutoCloseable owners of FFmpeg native contexts (demuxer, decoders, scaler, resampler); internal to ingest. */
package dev.prism.ingest.ffmpeg;
