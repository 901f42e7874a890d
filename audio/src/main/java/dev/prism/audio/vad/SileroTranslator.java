package dev.prism.audio.vad;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Pre/post-processing for Silero VAD v5 at 16 kHz, apart from the engine: one step takes a 512-sample
 * window preceded by the previous 64 samples of context (576 in all) and the recurrent state
 * {@code [2, 1, 128]}, and returns the speech probability and the next state
 * (I/O as in PRISM_ASSETS/models/README.md: inputs {@code input}, {@code state}, {@code sr}; outputs
 * {@code output}, {@code stateN}).
 */
final class SileroTranslator implements NoBatchifyTranslator<SileroTranslator.Step, SileroTranslator.Result> {
    static final int CONTEXT = 64;
    static final int STATE_SIZE = 2 * 128;

    /** Model input for one window: {@code CONTEXT + FRAME} samples and the carried state. */
    record Step(float[] samples, float[] state) {
    }

    /** Speech probability of the window and the state to carry into the next one. */
    record Result(float probability, float[] state) {
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Step step) {
        NDManager m = ctx.getNDManager();
        NDArray input = m.create(step.samples(), new Shape(1, step.samples().length));
        input.setName("input");
        NDArray state = m.create(step.state(), new Shape(2, 1, 128));
        state.setName("state");
        NDArray sr = m.create((long) VoiceActivityDetector.SAMPLE_RATE);
        sr.setName("sr");
        return new NDList(input, state, sr);
    }

    @Override
    public Result processOutput(TranslatorContext ctx, NDList list) {
        NDArray prob = list.get("output");
        NDArray state = list.get("stateN");
        if (prob == null || state == null) {
            prob = list.get(0);
            state = list.get(1);
        }
        return new Result(prob.toFloatArray()[0], state.toFloatArray());
    }
}
