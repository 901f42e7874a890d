/** Gaussian stream benchmark and the generated scene it runs on (ALGORITHMS.md 8.1/8.2 "Measurable proof"). */
package dev.prism.vision.gaussians.bench;
