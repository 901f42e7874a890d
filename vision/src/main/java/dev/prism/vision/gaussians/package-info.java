/** Gaussians from RGB-D frames, the Gaussian stream facade, V^3 video packing with FFmpeg and the job's gaussians/ files (ALGORITHMS.md 8). */
package dev.prism.vision.gaussians;
