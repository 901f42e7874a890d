package dev.prism.llm.whisper;

import dev.prism.llm.checkpoint.CheckpointException;
import dev.prism.llm.checkpoint.ModelConfig;

/** A Whisper checkpoint's dimensions (config.json, model_type "whisper"). */
public record WhisperSpec(int dModel, int encoderLayers, int decoderLayers, int encoderHeads, int decoderHeads,
                          int encoderFfn, int decoderFfn, int mels, int maxSource, int maxTarget, int vocab,
                          int decoderStart, int eos) {

    public static WhisperSpec from(ModelConfig c) {
        if (!c.modelType().equals("whisper")) {
            throw new CheckpointException(c.where() + ": model_type '" + c.modelType() + "' is not whisper");
        }
        return new WhisperSpec(c.requireInt("d_model"), c.requireInt("encoder_layers"), c.requireInt("decoder_layers"),
                c.requireInt("encoder_attention_heads"), c.requireInt("decoder_attention_heads"),
                c.requireInt("encoder_ffn_dim"), c.requireInt("decoder_ffn_dim"), c.getInt("num_mel_bins", 80),
                c.getInt("max_source_positions", 1500), c.getInt("max_target_positions", 448), c.requireInt("vocab_size"),
                c.getInt("decoder_start_token_id", 0), c.getInt("eos_token_id", 0));
    }

    public int encoderHeadDim() {
        return dModel / encoderHeads;
    }

    public int decoderHeadDim() {
        return dModel / decoderHeads;
    }
}
