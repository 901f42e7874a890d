/** CPU splat renderer (EWA splatting, depth-sorted alpha blending), cameras and image metrics (ALGORITHMS.md 8.1 "Measurable proof"). */
package dev.prism.vision.render;
