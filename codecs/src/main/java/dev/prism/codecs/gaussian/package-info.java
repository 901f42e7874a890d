/** Gaussian stream codecs: QUEEN-style residual records and the V^3 attribute-image layout (ALGORITHMS.md section 8). */
package dev.prism.codecs.gaussian;
