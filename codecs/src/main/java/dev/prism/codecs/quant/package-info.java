/** Vector quantizers (EnCodec RVQ, HiFi-Codec GRVQ), nearest-neighbour search, codebook learning and files. */
package dev.prism.codecs.quant;
