package dev.prism.codecs.xcodec;

/**
 * A per-frame linear layer y = W x + b with W row-major {@code [out][in]} (PyTorch's nn.Linear
 * layout, so checkpoint weights load without transposing): fc_prior and fc_post of ALGORITHMS.md 6.1.
 */
public final class Linear {
    private final int in;
    private final int out;
    private final float[] weight;
    private final float[] bias;

    public Linear(int in, int out, float[] weight, float[] bias) {
        if (weight.length != in * out || (bias != null && bias.length != out)) {
            throw new IllegalArgumentException("Linear " + in + "->" + out + " needs " + (in * out) + " weights and "
                    + out + " biases; got " + weight.length + " and " + (bias == null ? 0 : bias.length));
        }
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
    }

    /** Identity-like selection: output i = input (offset + i), for tests and for pass-through fusion. */
    public static Linear select(int in, int out, int offset) {
        if (offset < 0 || offset + out > in) {
            throw new IllegalArgumentException("cannot select " + out + " of " + in + " inputs from offset " + offset);
        }
        float[] w = new float[in * out];
        for (int i = 0; i < out; i++) {
            w[i * in + offset + i] = 1f;
        }
        return new Linear(in, out, w, null);
    }

    public int in() {
        return in;
    }

    public int out() {
        return out;
    }

    public float[] apply(float[] x) {
        if (x.length != in) {
            throw new IllegalArgumentException("Linear expects " + in + " inputs, got " + x.length);
        }
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            float s = bias == null ? 0f : bias[o];
            int base = o * in;
            for (int i = 0; i < in; i++) {
                s += weight[base + i] * x[i];
            }
            y[o] = s;
        }
        return y;
    }
}
