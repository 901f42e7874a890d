/** Plain-Java reference forward passes (straightforward loops) that check the ONNX graphs numerically. */
package dev.prism.llm.reference;
