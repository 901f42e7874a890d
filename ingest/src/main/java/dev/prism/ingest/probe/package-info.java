/** Probing: what a media source contains (container, streams, duration, rate, rotation), checked against limits. */
package dev.prism.ingest.probe;
