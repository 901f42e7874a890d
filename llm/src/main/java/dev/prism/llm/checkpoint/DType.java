package dev.prism.llm.checkpoint;

/** Element types a safetensors file may declare, with their byte sizes. */
public enum DType {
    F32(4), F16(2), BF16(2), F64(8), I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloat() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    static DType parse(String name, String where) {
        try {
            return DType.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(where + ": unsupported safetensors dtype '" + name
                    + "' (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");
        }
    }
}
