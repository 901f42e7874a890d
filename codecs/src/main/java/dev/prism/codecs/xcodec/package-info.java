/** X-Codec: semantic features fused with the acoustic latent before RVQ; decoding from the acoustic part. */
package dev.prism.codecs.xcodec;
