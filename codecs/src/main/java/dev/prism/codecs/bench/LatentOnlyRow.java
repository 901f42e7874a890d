package dev.prism.codecs.bench;

import dev.prism.codecs.io.PcmAudio;
import dev.prism.codecs.latent.LatentDecoder;
import dev.prism.codecs.latent.LatentEncoder;
import dev.prism.codecs.latent.MdctLatent;
import dev.prism.codecs.metrics.AudioMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark row of the analytic latent without quantizer: its speed is the ceiling of the codec's. */
final class LatentOnlyRow {
    private LatentOnlyRow() {
    }

    /** The analytic latent alone (analysis + synthesis, no quantizer): the speed ceiling. */
    static Map<String, Object> mdct(Map<String, List<PcmAudio>> measured) {
        MdctLatent mdct = MdctLatent.default24k();
        double seconds = 0;
        double enc = 0;
        double dec = 0;
        double encCpu = 0;
        double decCpu = 0;
        double snr = 0;
        for (List<PcmAudio> clips : measured.values()) {
            for (PcmAudio clip : clips) {
                double c0 = CodecBench.cpuSeconds();
                long t0 = System.nanoTime();
                LatentEncoder e = mdct.encoder();
                List<float[]> frames = new ArrayList<>(e.push(clip.samples(), 0, clip.samples().length));
                frames.addAll(e.finish());
                enc += CodecBench.secs(t0);
                encCpu += CodecBench.cpuSeconds() - c0;
                c0 = CodecBench.cpuSeconds();
                t0 = System.nanoTime();
                LatentDecoder d = mdct.decoder();
                float[] y = new float[frames.size() * mdct.hopSize()];
                int pos = 0;
                for (float[] f : frames) {
                    float[] o = d.decode(f);
                    System.arraycopy(o, 0, y, pos, o.length);
                    pos += o.length;
                }
                dec += CodecBench.secs(t0);
                decCpu += CodecBench.cpuSeconds() - c0;
                snr += AudioMetrics.siSnr(clip.samples(), java.util.Arrays.copyOf(y, clip.samples().length)) * clip.seconds();
                seconds += clip.seconds();
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("clips", "all");
        m.put("quantizer", "none (MDCT only)");
        m.put("codebooks", 0);
        m.put("audio_s", CodecBench.round(seconds, 2));
        for (String k : EntropyBreakdown.KEYS) {
            m.put(k, Double.NaN);
        }
        m.put("oracle_static_over_entropy", Double.NaN);
        m.put("si_snr_db", CodecBench.round(snr / seconds, 2));
        m.put("baseline_rvq_si_snr_db", Double.NaN);
        m.put("delta_si_snr_db", Double.NaN);
        m.put("logmel", Double.NaN);
        m.put("baseline_rvq_logmel", Double.NaN);
        m.put("code_entropy_bits", Double.NaN);
        m.put("dead_codes", 0);
        m.put("encode_x_realtime", CodecBench.round(seconds / enc, 1));
        m.put("decode_x_realtime", CodecBench.round(seconds / dec, 1));
        m.put("encode_x_realtime_per_cpu_s", CodecBench.round(seconds / encCpu, 1));
        m.put("decode_x_realtime_per_cpu_s", CodecBench.round(seconds / decCpu, 1));
        // One thread does it all: the process CPU is that thread's.
        m.put("encode_1t_x_realtime_wall", CodecBench.round(seconds / enc, 1));
        m.put("encode_x_realtime_thread_cpu", CodecBench.round(seconds / encCpu, 1));
        m.put("encode_2t_x_realtime_wall", Double.NaN);
        m.put("encode_2t_x_realtime_per_thread_cpu", Double.NaN);
        return m;
    }

}
