package dev.prism.llm.onnx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fluent ONNX graph builder: inputs, outputs, weights (external initializers or plain graph inputs),
 * nodes with attributes, serialised to ModelProto bytes (opset 17, IR version 8).
 * Tensor names are strings; {@link #op} returns the (generated) name of the node's first output.
 */
public final class GraphBuilder {
    public static final int OPSET = 17;
    private static final int IR_VERSION = 8;

    /** How weights reach the session. */
    public enum WeightMode {
        /** declared as external initializers, supplied with SessionOptions.addExternalInitializers (no copy). */
        EXTERNAL_INITIALIZER,
        /** declared as graph inputs and fed on every run. */
        GRAPH_INPUT
    }

    private final String name;
    private final WeightMode weightMode;
    private final List<OnnxProto.Msg> nodes = new ArrayList<>();
    private final List<OnnxProto.Msg> inputs = new ArrayList<>();
    private final List<OnnxProto.Msg> outputs = new ArrayList<>();
    private final List<OnnxProto.Msg> initializers = new ArrayList<>();
    private final Map<String, long[]> weights = new LinkedHashMap<>();
    private final Map<String, String> constants = new LinkedHashMap<>();
    private int counter;
    private String scope = "";

    public GraphBuilder(String name, WeightMode weightMode) {
        this.name = name;
        this.weightMode = weightMode;
    }

    /** Prefix for generated names (lets several blocks live in one graph). */
    public GraphBuilder scope(String prefix) {
        this.scope = prefix;
        return this;
    }

    public String input(String name, Object... dims) {
        inputs.add(OnnxProto.valueInfo(name, OnnxProto.FLOAT, dims));
        return name;
    }

    public String inputInt64(String name, Object... dims) {
        inputs.add(OnnxProto.valueInfo(name, OnnxProto.INT64, dims));
        return name;
    }

    public GraphBuilder output(String tensor, String name, Object... dims) {
        if (!tensor.equals(name)) {
            op("Identity", List.of(tensor), List.of(name), Map.of());
        }
        outputs.add(OnnxProto.valueInfo(name, OnnxProto.FLOAT, dims));
        return this;
    }

    /** Declares a float32 weight of fixed shape; its data is supplied at session creation. */
    public String weight(String name, long... dims) {
        if (weights.containsKey(name)) {
            return name;
        }
        weights.put(name, dims.clone());
        if (weightMode == WeightMode.EXTERNAL_INITIALIZER) {
            initializers.add(OnnxProto.externalTensor(name, OnnxProto.FLOAT, dims));
        } else {
            Object[] d = new Object[dims.length];
            for (int i = 0; i < dims.length; i++) {
                d[i] = dims[i];
            }
            inputs.add(OnnxProto.valueInfo(name, OnnxProto.FLOAT, d));
        }
        return name;
    }

    public Map<String, long[]> weights() {
        return weights;
    }

    public WeightMode weightMode() {
        return weightMode;
    }

    /** An int64 constant (shapes, axes, indices), shared when the same values recur. */
    public String ints(long... values) {
        String key = "i" + java.util.Arrays.toString(values);
        return constants.computeIfAbsent(key, k -> {
            String n = fresh("const_i");
            long[] dims = values.length == 1 ? new long[0] : new long[] {values.length};
            initializers.add(OnnxProto.int64Tensor(n, dims, values));
            return n;
        });
    }

    /** A 1-D int64 constant even for one value (for Unsqueeze axes, Slice starts...). */
    public String intVec(long... values) {
        String key = "v" + java.util.Arrays.toString(values);
        return constants.computeIfAbsent(key, k -> {
            String n = fresh("const_v");
            initializers.add(OnnxProto.int64Tensor(n, new long[] {values.length}, values));
            return n;
        });
    }

    /** A float32 scalar constant. */
    public String scalar(float value) {
        String key = "f" + Float.floatToRawIntBits(value);
        return constants.computeIfAbsent(key, k -> {
            String n = fresh("const_f");
            initializers.add(OnnxProto.floatTensor(n, new long[0], new float[] {value}));
            return n;
        });
    }

    public String fresh(String hint) {
        return scope + hint + "_" + (counter++);
    }

    /** Adds a node with one output; attributes are Integer/Long, Float/Double, String, long[] or float[]. */
    public String op(String opType, String... in) {
        return op(opType, Map.of(), in);
    }

    public String op(String opType, Map<String, Object> attrs, String... in) {
        String out = fresh(opType.toLowerCase());
        op(opType, List.of(in), List.of(out), attrs);
        return out;
    }

    /** Adds a node with explicit output names. */
    public void op(String opType, List<String> in, List<String> out, Map<String, Object> attrs) {
        OnnxProto.Msg n = new OnnxProto.Msg();
        in.forEach(i -> n.str(1, i));
        out.forEach(o -> n.str(2, o));
        n.str(3, fresh("node_" + opType));
        n.str(4, opType);
        for (Map.Entry<String, Object> a : attrs.entrySet()) {
            n.msg(5, attribute(a.getKey(), a.getValue()));
        }
        nodes.add(n);
    }

    /** Multi-output helper: returns the generated output names. */
    public String[] opN(String opType, int outputs, Map<String, Object> attrs, String... in) {
        String[] out = new String[outputs];
        for (int i = 0; i < outputs; i++) {
            out[i] = fresh(opType.toLowerCase());
        }
        op(opType, List.of(in), List.of(out), attrs);
        return out;
    }

    private static OnnxProto.Msg attribute(String name, Object v) {
        OnnxProto.Msg a = new OnnxProto.Msg().str(1, name);
        if (v instanceof Integer || v instanceof Long) {
            a.i64(3, ((Number) v).longValue()).i32(20, OnnxProto.ATTR_INT);
        } else if (v instanceof Float || v instanceof Double) {
            a.f32(2, ((Number) v).floatValue()).i32(20, OnnxProto.ATTR_FLOAT);
        } else if (v instanceof String s) {
            a.bytes(4, s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).i32(20, OnnxProto.ATTR_STRING);
        } else if (v instanceof long[] ls) {
            for (long l : ls) {
                a.i64(8, l);
            }
            a.i32(20, OnnxProto.ATTR_INTS);
        } else if (v instanceof float[] fs) {
            for (float f : fs) {
                a.f32(7, f);
            }
            a.i32(20, OnnxProto.ATTR_FLOATS);
        } else {
            throw new IllegalArgumentException("attribute " + name + ": unsupported value type " + v.getClass());
        }
        return a;
    }

    /** Serialises the ModelProto. */
    public byte[] toModelBytes() {
        OnnxProto.Msg graph = new OnnxProto.Msg();
        nodes.forEach(n -> graph.msg(1, n));
        graph.str(2, name);
        initializers.forEach(t -> graph.msg(5, t));
        inputs.forEach(i -> graph.msg(11, i));
        outputs.forEach(o -> graph.msg(12, o));
        OnnxProto.Msg model = new OnnxProto.Msg()
                .i64(1, IR_VERSION)
                .str(2, "prism")
                .str(3, "0.1")
                .msg(7, graph)
                .msg(8, new OnnxProto.Msg().str(1, "").i64(2, OPSET));
        return model.toBytes();
    }
}
