/** Depth per frame: the DepthEstimator contract, the weight-free builtin-parallax estimate and monocular ONNX models through DJL. */
package dev.prism.vision.depth;
