/** The .codes container: self-describing header, CRC-checked packets, fixed-width and range-coded code payloads. */
package dev.prism.codecs.bitstream;
