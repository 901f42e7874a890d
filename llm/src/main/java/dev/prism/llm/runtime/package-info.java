/**
 * ONNX Runtime ownership: environment and session options (threads, CPU/CUDA), block sessions with their weight tensors.
 *
 * <p>CPU is the default execution provider; {@link dev.prism.llm.runtime.RuntimeOptions#intraOpThreads()} sets the
 * threads per operator (0 = one per core). GPU: build with {@code ./mvnw -Pcuda ...}; the parent pom's {@code cuda}
 * profile swaps {@code com.microsoft.onnxruntime:onnxruntime} for {@code onnxruntime_gpu} (same version), and
 * {@code RuntimeOptions.threads(n).withCuda(true)} adds the CUDA provider (device 0) to every block session. The CUDA
 * path cannot be tested on the CI machines (no GPU, and the GPU artifact needs CUDA/cuDNN libraries on the host), so
 * it is documented, not verified here. Block graphs are float32; fp16/bf16 checkpoints are converted once at load.
 */
package dev.prism.llm.runtime;
