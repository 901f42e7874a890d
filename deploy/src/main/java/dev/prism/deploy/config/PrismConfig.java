package dev.prism.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Every Prism setting: name, type, default and meaning in one place (README's configuration table mirrors it). */
@ConfigMapping(prefix = "prism")
public interface PrismConfig {

    Kafka kafka();

    /** Directory for the embedded broker's log, the media store and job results; survives restarts. */
    @WithDefault("prism-data")
    String dataDir();

    /** Which stages this process runs: "all" or a comma list of decode,asr,codec,vision,vlm,gaussians. */
    @WithDefault("all")
    List<String> stages();

    Limits limits();

    Sources sources();

    Api api();

    /** Finished jobs' media and results are deleted after this long. */
    @WithDefault("7d")
    Duration retention();

    /** Directory of real model checkpoints (Hugging Face layout); empty: the generated demo checkpoints. */
    Optional<String> modelsDir();

    /** Directory of real media and models shared with tests and benchmarks (also the PRISM_ASSETS variable). */
    Optional<String> assets();

    Audio audio();

    Codec codec();

    Ask ask();

    /** The vision-language model's pruning and context settings; anything unset keeps CaptionOptions.defaults(). */
    Vlm vlm();

    /**
     * Knobs the libraries read as JVM system properties (benchmarks, the ONNX Runtime arena, FFmpeg's log level),
     * declared here so that {@code bin/prism bench asr -Dprism.bench.asr.streamMinutes=1} passes the
     * configuration check that still rejects misspelt {@code prism.*} settings.
     */
    Bench bench();

    Ort ort();

    Ingest ingest();

    interface Bench {
        /** Decode benchmark: short inputs only. */
        Optional<Boolean> quick();

        /** ONNX Runtime threads in the runtime and VLM benchmarks (default 2). */
        Optional<Integer> threads();

        /** Runtime benchmark: let ONNX Runtime pre-pack weights (more memory). */
        Optional<Boolean> prepack();

        BenchVlm vlm();

        BenchAsr asr();

        BenchCacheGen cachegen();
    }

    interface BenchCacheGen {
        /** A file to keep (or reuse) the VLM prefill cache in between runs of the cachegen suite. */
        Optional<String> kv();

        /** Levels to measure, comma-separated (default 1,2,3). */
        Optional<String> levels();

        /** Print the per-layer analysis (default true). */
        @WithName("perLayer")
        Optional<Boolean> perLayer();
    }

    interface BenchVlm {
        /** Frames per segment in the VLM benchmark (default 2; 8 is the shape, about 30 minutes). */
        Optional<Integer> frames();
    }

    interface BenchAsr {
        /** Also run the previous Sphinx defaults as the baseline (default true). */
        Optional<Boolean> baseline();

        /** Length of the generated stream for the latency row (default 10). */
        @WithName("streamMinutes")
        Optional<Double> streamMinutes();
    }

    interface Ort {
        /** ONNX Runtime's per-session CPU arena (default true; the VLM benchmark turns it off). */
        Optional<Boolean> arena();
    }

    interface Ingest {
        /** FFmpeg's log level (AV_LOG_*; default fatal only). */
        @WithName("ffmpegLogLevel")
        Optional<Integer> ffmpegLogLevel();
    }

    interface Ask {
        /** Bandwidth assumed for loading an encoded context (bytes/s; 125,000,000 is 1 Gbit/s). */
        @WithDefault("125000000")
        double bandwidthBytesPerSecond();

        /** Deadline for a follow-up answer when the request names none; empty: none (always the cached context). */
        Optional<Double> deadlineMs();
    }

    interface Vlm {
        /**
         * PLPHP (ALGORITHMS.md 2): the paper's thresholds are unverified, so the defaults are starting points;
         * {@code prism calibrate plphp MEDIA...} prints the lines to set here.
         */
        Plphp plphp();

        /** CacheGen quality level of the caption figures and of a stored context when one level is kept (1-3; default 2). */
        @WithName("cachegen-level")
        Optional<Integer> cachegenLevel();

        /** ONNX Runtime intra-op threads of the VLM (0: one per core; default 0). */
        Optional<Integer> threads();
    }

    interface Plphp {
        /** Per-layer per-head vision KV pruning after prefill (default true). */
        Optional<Boolean> enabled();

        /** Vision attention ratio gamma at or above which a layer is vision-attentive, in [0, 1] (default 0.3). */
        Optional<Double> alpha();

        /** gamma at or below which a layer is vision-indifferent, in [0, 1] and below alpha (default 0.1). */
        Optional<Double> beta();

        /** Base retention of vision tokens in [0, 1] (default 0.5). */
        Optional<Double> r();

        /** Retention offset of the attentive (+) and indifferent (-) classes, in [0, 1] (default 0.2). */
        Optional<Double> deltaR();

        /** K: decoder layers below it are never pruned (default 2). */
        Optional<Integer> firstLayer();

        /** How the query heads sharing one KV head combine their scores: sum, max or mean (default sum). */
        Optional<String> aggregation();
    }

    interface Codec {
        /**
         * A neural codec directory (codec.json + encoder/decoder ONNX exports + codebooks), or "demo" for the
         * generated pair; empty: the analytic MDCT latent with the demo codebooks.
         */
        Optional<String> modelDir();
    }

    interface Audio {
        /** Silero VAD ONNX model; empty: the built-in energy/spectral VAD. */
        Optional<String> vadModel();

        /** Speech recognizer: sphinx4 (embedded, US English) or whisper (needs prism.audio.whisper.model-dir). */
        @WithDefault("sphinx4")
        String recognizer();

        Whisper whisper();
    }

    interface Whisper {
        /** A Hugging Face Whisper checkpoint directory (config.json, model.safetensors, tokenizer.json, ...). */
        Optional<String> modelDir();

        /** Spoken language (en, de, ...); empty: detected from the first 30 s window. */
        Optional<String> language();

        /** transcribe, or translate (to English). */
        @WithDefault("transcribe")
        String task();

        /** Decoding temperatures tried in turn when a window fails the compression or log-prob checks. */
        @WithDefault("0,0.2,0.4,0.6,0.8,1.0")
        List<Double> temperatures();

        @WithDefault("2.4")
        double compressionRatioThreshold();

        @WithDefault("-1.0")
        double logprobThreshold();

        /** A window whose no-speech probability exceeds this (and whose log-prob is low) yields no words. */
        @WithDefault("0.6")
        double noSpeechThreshold();

        /** Word times from cross-attention alignment (DTW); off: words spread over their segment. */
        @WithDefault("true")
        boolean wordTimestamps();

        /** ONNX Runtime threads per recognizer. */
        @WithDefault("2")
        int threads();
    }

    interface Kafka {
        /** An external cluster's bootstrap servers; empty: start the embedded KRaft broker. */
        Optional<String> bootstrap();

        /** Port of the embedded broker (0: pick a free one, remembered in the data dir). */
        @WithDefault("0")
        int embeddedPort();

        @WithDefault("prism")
        String topicPrefix();

        @WithDefault("4")
        int partitions();

        /** Worker threads (consumers in the stage's group) per stage in this process. */
        @WithDefault("1")
        int concurrency();

        @WithDefault("3")
        int maxAttempts();
    }

    interface Limits {
        /** Largest accepted upload. */
        @WithDefault("2147483648")
        long maxUploadBytes();

        /** Longest accepted media duration. */
        @WithDefault("4h")
        Duration maxDuration();

        @WithDefault("8192")
        int maxDimension();

        @WithDefault("16")
        int maxStreams();
    }

    interface Sources {
        /** URI schemes a job may name as its source (uploads are always allowed). */
        @WithDefault("file,http,https")
        List<String> allowedSchemes();

        /** Directories under which file:// sources must lie; empty: file:// sources are refused. */
        Optional<List<String>> allowedRoots();

        /** Allow http(s) sources on loopback, private and link-local addresses (off: SSRF protection). */
        @WithDefault("false")
        boolean allowPrivateAddresses();

        @WithDefault("10s")
        Duration httpTimeout();
    }

    interface Api {
        /** When set, every /v1 request must carry "Authorization: Bearer <token>". */
        Optional<String> token();
    }
}
