package dev.prism.llm.reference;

/** Loop implementations of the operators; rows are flat float[] of length rows*cols. */
public final class RefMath {
    private RefMath() {
    }

    /** y[t][o] = sum_i x[t][i] * w[o][i] + b[o] (HF Linear). */
    public static float[] linear(float[] x, int rows, int in, float[] w, int out, float[] bias) {
        float[] y = new float[rows * out];
        for (int t = 0; t < rows; t++) {
            for (int o = 0; o < out; o++) {
                double acc = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) {
                    acc += (double) x[t * in + i] * w[o * in + i];
                }
                y[t * out + o] = (float) acc;
            }
        }
        return y;
    }

    public static float[] rmsNorm(float[] x, int rows, int dim, float[] w, double eps) {
        float[] y = new float[x.length];
        for (int t = 0; t < rows; t++) {
            double ms = 0;
            for (int i = 0; i < dim; i++) {
                ms += (double) x[t * dim + i] * x[t * dim + i];
            }
            double inv = 1 / Math.sqrt(ms / dim + eps);
            for (int i = 0; i < dim; i++) {
                y[t * dim + i] = (float) (x[t * dim + i] * inv * w[i]);
            }
        }
        return y;
    }

    public static float[] layerNorm(float[] x, int rows, int dim, float[] w, float[] b, double eps) {
        float[] y = new float[x.length];
        for (int t = 0; t < rows; t++) {
            double mean = 0;
            for (int i = 0; i < dim; i++) {
                mean += x[t * dim + i];
            }
            mean /= dim;
            double var = 0;
            for (int i = 0; i < dim; i++) {
                double d = x[t * dim + i] - mean;
                var += d * d;
            }
            double inv = 1 / Math.sqrt(var / dim + eps);
            for (int i = 0; i < dim; i++) {
                y[t * dim + i] = (float) ((x[t * dim + i] - mean) * inv * w[i] + b[i]);
            }
        }
        return y;
    }

    public static float act(float x, String act) {
        return switch (act) {
            case "gelu" -> (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
            case "gelu_pytorch_tanh", "gelu_new" ->
                    (float) (0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))));
            case "quick_gelu" -> (float) (x / (1 + Math.exp(-1.702 * x)));
            case "silu" -> (float) (x / (1 + Math.exp(-x)));
            default -> throw new IllegalArgumentException("activation " + act);
        };
    }

    public static float[] act(float[] x, String act) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = act(x[i], act);
        }
        return y;
    }

    /** erf with about 1e-12 relative error (series below 3, continued-fraction complement above). */
    public static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3) {
            double sum = ax;
            double term = ax;
            double x2 = ax * ax;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17) {
                    break;
                }
            }
            r = 2 / Math.sqrt(Math.PI) * sum;
        } else {
            double f = 0;
            for (int n = 60; n >= 1; n--) {
                f = n / 2.0 / (ax + f);
            }
            r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
        }
        return x < 0 ? -r : r;
    }

    public static void softmaxInPlace(double[] s) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : s) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.exp(s[i] - max);
            sum += s[i];
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= sum;
        }
    }

    public static void addInPlace(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
    }
}
