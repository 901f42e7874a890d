/** ONNX Runtime ownership: environment and session options (threads, CPU/CUDA), block sessions with their weight tensors. */
package dev.prism.llm.runtime;
