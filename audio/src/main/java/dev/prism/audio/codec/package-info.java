/** Neural codec parts from ONNX exports: latent encoder/decoder pairs and the X-Codec semantic teacher, plus tiny demo generators. */
package dev.prism.audio.codec;
