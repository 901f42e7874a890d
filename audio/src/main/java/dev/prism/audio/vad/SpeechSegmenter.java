package dev.prism.audio.vad;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns frame probabilities into speech regions following Silero VAD's {@code get_speech_timestamps}:
 * hysteresis between {@code threshold} and {@code negThreshold}, a region ends only after
 * {@code minSilenceMs} of silence, short regions are dropped, regions are padded (a gap shorter than two
 * pads is split in the middle), then close regions are merged and over-long ones split.
 *
 * <p>Splitting differs from Silero's (which cuts at the last silence of at least 98 ms seen so far):
 * here a region longer than the maximum is cut at its least speech-like frame in the second half of the
 * allowed length, which also works when the speaker never pauses for 98 ms.
 */
public final class SpeechSegmenter {
    private final VadOptions options;

    public SpeechSegmenter(VadOptions options) {
        this.options = options;
    }

    public List<SpeechRegion> regions(float[] probs, int totalSamples) {
        int frame = VoiceActivityDetector.FRAME;
        double sr = VoiceActivityDetector.SAMPLE_RATE;
        int minSilence = (int) (options.minSilenceMs() * sr / 1000);
        int minSpeech = (int) (options.minSpeechMs() * sr / 1000);
        List<int[]> raw = new ArrayList<>();
        boolean speaking = false;
        int start = 0;
        int silenceStart = -1;
        for (int i = 0; i < probs.length; i++) {
            int pos = i * frame;
            float p = probs[i];
            if (p >= options.threshold()) {
                silenceStart = -1;
                if (!speaking) {
                    speaking = true;
                    start = pos;
                }
            } else if (speaking && p < options.negThreshold()) {
                if (silenceStart < 0) {
                    silenceStart = pos;
                }
                if (pos + frame - silenceStart >= minSilence) {
                    if (silenceStart - start >= minSpeech) {
                        raw.add(new int[] {start, silenceStart});
                    }
                    speaking = false;
                    silenceStart = -1;
                }
            }
        }
        if (speaking && Math.min(totalSamples, probs.length * frame) - start >= minSpeech) {
            raw.add(new int[] {start, Math.min(totalSamples, probs.length * frame)});
        }
        List<int[]> padded = pad(raw, totalSamples);
        List<int[]> merged = merge(padded);
        List<SpeechRegion> out = new ArrayList<>();
        for (int[] r : merged) {
            split(r[0], r[1], probs, out);
        }
        return out;
    }

    private List<int[]> pad(List<int[]> raw, int total) {
        int pad = options.padMs() * VoiceActivityDetector.SAMPLE_RATE / 1000;
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            int[] r = raw.get(i);
            int s = i == 0 ? Math.max(0, r[0] - pad) : r[0];
            int e = r[1];
            if (i > 0) {
                int[] prev = out.get(out.size() - 1);
                int gap = r[0] - raw.get(i - 1)[1];
                if (gap < 2 * pad) {
                    prev[1] += gap / 2;
                    s = r[0] - (gap - gap / 2);
                } else {
                    prev[1] += pad;
                    s = r[0] - pad;
                }
            }
            if (i == raw.size() - 1) {
                e = Math.min(total, r[1] + pad);
            }
            out.add(new int[] {s, e});
        }
        return out;
    }

    private List<int[]> merge(List<int[]> regions) {
        int gapMax = options.mergeGapMs() * VoiceActivityDetector.SAMPLE_RATE / 1000;
        double maxLen = options.maxSpeechSeconds() * VoiceActivityDetector.SAMPLE_RATE;
        List<int[]> out = new ArrayList<>();
        for (int[] r : regions) {
            int[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] - last[1] < gapMax && r[1] - last[0] <= maxLen) {
                last[1] = r[1];
            } else {
                out.add(r.clone());
            }
        }
        return out;
    }

    private void split(int s, int e, float[] probs, List<SpeechRegion> out) {
        int frame = VoiceActivityDetector.FRAME;
        double sr = VoiceActivityDetector.SAMPLE_RATE;
        int maxLen = (int) (options.maxSpeechSeconds() * sr);
        while (e - s > maxLen) {
            int from = (s + maxLen / 2) / frame;
            int to = Math.min(probs.length - 1, (s + maxLen) / frame - 1);
            int best = to;
            for (int f = from; f <= to; f++) {
                if (probs[f] < probs[best]) {
                    best = f;
                }
            }
            int cut = Math.max(s + frame, Math.min(s + maxLen, best * frame + frame / 2));
            out.add(new SpeechRegion(s / sr, cut / sr));
            s = cut;
        }
        if (e > s) {
            out.add(new SpeechRegion(s / sr, e / sr));
        }
    }
}
