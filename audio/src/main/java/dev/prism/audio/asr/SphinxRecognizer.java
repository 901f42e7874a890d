package dev.prism.audio.asr;

import dev.prism.audio.AudioException;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.decoder.search.SearchManager;
import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.result.WordResult;
import edu.cmu.sphinx.util.LogMath;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CMU Sphinx4 (US English acoustic model, CMU dictionary and the generic trigram LM from sphinx4-data),
 * fully offline. A Sphinx decoder is stateful and not thread-safe, so this class keeps a pool of loaded
 * decoders: each call borrows one, and up to {@link SphinxOptions#poolSize()} calls run in parallel.
 * The first decoder loads in the constructor (a few seconds), the others on first demand.
 *
 * <p>The front end has no endpointer: callers pass VAD-cut regions, each decoded as one utterance
 * with batch cepstral mean normalisation (see sphinx.config.xml).
 */
public final class SphinxRecognizer implements IncrementalRecognizer {
    private static final String MODELS = "resource:/edu/cmu/sphinx/models/en-us/";
    private static final String CONFIG = "/dev/prism/audio/asr/sphinx.config.xml";
    /** Sphinx needs at least a few frames; shorter inputs have no words. */
    private static final int MIN_SAMPLES = 1600;

    private final SphinxOptions options;
    private final BlockingQueue<Decoder> idle;
    private final List<Decoder> all = new ArrayList<>();
    private volatile boolean closed;
    private Path config;
    private Path streamConfig;
    private final ArrayDeque<StreamDecoder> idleStreams = new java.util.ArrayDeque<>();

    public SphinxRecognizer(SphinxOptions options) {
        this.options = options;
        this.idle = new ArrayBlockingQueue<>(options.poolSize());
        Logger.getLogger("edu.cmu.sphinx").setLevel(Level.WARNING);
        Logger.getLogger("default.config").setLevel(Level.WARNING);
        idle.add(load());
    }

    @Override
    public String name() {
        return "sphinx4-en-us";
    }

    @Override
    public String language() {
        return "en";
    }

    public SphinxOptions options() {
        return options;
    }

    @Override
    public List<RecognizedWord> recognize(float[] pcm16k, double offsetSeconds) {
        if (closed) {
            throw new IllegalStateException("SphinxRecognizer is closed");
        }
        if (pcm16k == null) {
            throw new AudioException("recognize: pcm16k is null; pass 16 kHz mono samples");
        }
        if (pcm16k.length < MIN_SAMPLES) {
            return List.of();
        }
        Decoder decoder = borrow();
        try {
            return decoder.decode(pcm16k, offsetSeconds);
        } finally {
            idle.add(decoder);
        }
    }

    private Decoder borrow() {
        Decoder d = idle.poll();
        if (d != null) {
            return d;
        }
        synchronized (all) {
            if (all.size() < options.poolSize()) {
                return load();
            }
        }
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AudioException("Interrupted while waiting for a free Sphinx decoder", e);
        }
    }

    private static Configuration configuration() {
        Configuration c = new Configuration();
        c.setAcousticModelPath(MODELS + "en-us");
        c.setDictionaryPath(MODELS + "cmudict-en-us.dict");
        c.setLanguageModelPath(MODELS + "en-us.lm.bin");
        c.setSampleRate(SAMPLE_RATE);
        return c;
    }

    private synchronized Decoder load() {
        Configuration c = configuration();
        String configUri;
        try {
            configUri = configFile().toUri().toString(); // an unknown property override fails here, with its own message
        } catch (IOException e) {
            throw new AudioException("Cannot write the Sphinx4 configuration to a temporary file: " + e.getMessage(), e);
        }
        try {
            Context ctx = new Context(configUri, c);
            Recognizer r = ctx.getInstance(Recognizer.class);
            r.allocate();
            Decoder d = new Decoder(ctx, r);
            synchronized (all) {
                all.add(d);
            }
            return d;
        } catch (IOException | RuntimeException e) {
            throw new AudioException("Cannot load the Sphinx4 US English model from sphinx4-data on the classpath: "
                    + e.getMessage() + " (is de.sciss:sphinx4-data present?)", e);
        }
    }

    /**
     * Opens an incremental decoder for one stream ({@link SphinxStream}) with the live front end. Stream decoders
     * are loaded on demand (about as long as the first offline decoder) and kept for the next stream when closed.
     */
    @Override
    public SphinxStream openIncremental() {
        if (closed) {
            throw new IllegalStateException("SphinxRecognizer is closed");
        }
        StreamDecoder d;
        synchronized (idleStreams) {
            d = idleStreams.poll();
        }
        if (d == null) {
            d = loadStream();
        }
        StreamDecoder held = d;
        return new SphinxStream(d.search, d.source, () -> {
            synchronized (idleStreams) {
                if (closed) {
                    held.search.deallocate();
                } else {
                    idleStreams.add(held);
                }
            }
        });
    }

    /** Stream decoders loaded and free for the next stream (closed or finished streams hand theirs back). */
    public int idleStreamDecoders() {
        synchronized (idleStreams) {
            return idleStreams.size();
        }
    }

    private record StreamDecoder(SearchManager search, PushDataSource source) {
    }

    private synchronized StreamDecoder loadStream() {
        try {
            Context ctx = new Context(streamConfigFile().toUri().toString(), configuration());
            SearchManager search = ctx.getInstance(SearchManager.class);
            search.allocate();
            return new StreamDecoder(search, ctx.getInstance(PushDataSource.class));
        } catch (IOException | RuntimeException e) {
            throw new AudioException("Cannot load the Sphinx4 US English model for streaming: " + e.getMessage()
                    + " (is de.sciss:sphinx4-data present?)", e);
        }
    }

    /**
     * The offline configuration turned into the streaming one: the push source heads the front end, live instead of
     * batch cepstral mean normalisation, and only the plain word-pruning search manager (see {@link SphinxStream}).
     */
    private Path streamConfigFile() throws IOException {
        if (streamConfig == null) {
            String xml = Files.readString(configFile());
            xml = xml.replace("<item>dataSource</item>", "<item>pushSource</item>")
                    .replace("<item>batchCMN</item>", "<item>liveCMN</item>")
                    .replace("<component name=\"liveCMN\" type=\"edu.cmu.sphinx.frontend.feature.LiveCMN\"/>",
                            "<component name=\"liveCMN\" type=\"edu.cmu.sphinx.frontend.feature.LiveCMN\">"
                                    + "<property name=\"initialCmnWindow\" value=\"" + SphinxStream.INITIAL_CMN_FRAMES
                                    + "\"/></component>")
                    .replace("value=\"wordPruningLookaheadSearchManager\"", "value=\"wordPruningSearchManager\"")
                    .replaceAll("(?s)  <component name=\"wordPruningLookaheadSearchManager\".*?</component>\n", "")
                    .replace("</config>", "  <component name=\"pushSource\" type=\"" + PushDataSource.class.getName()
                            + "\"/>\n</config>");
            Path f = Files.createTempFile("prism-sphinx-stream", ".config.xml");
            f.toFile().deleteOnExit();
            Files.writeString(f, xml);
            streamConfig = f;
        }
        return streamConfig;
    }

    /** Writes the bundled config with this recognizer's search values filled in. */
    private Path configFile() throws IOException {
        if (config == null) {
            String xml;
            try (InputStream in = SphinxRecognizer.class.getResourceAsStream(CONFIG)) {
                if (in == null) {
                    throw new IOException("missing resource " + CONFIG);
                }
                xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            xml = xml.replace("@languageWeight@", Double.toString(options.languageWeight()))
                    .replace("@absoluteBeamWidth@", Integer.toString(options.absoluteBeamWidth()))
                    .replace("@relativeBeamWidth@", Double.toString(options.relativeBeamWidth()))
                    .replace("@absoluteWordBeamWidth@", Integer.toString(options.absoluteWordBeamWidth()))
                    .replace("@relativeWordBeamWidth@", Double.toString(options.relativeWordBeamWidth()))
                    .replace("@wordInsertionProbability@", Double.toString(options.wordInsertionProbability()))
                    .replace("@cacheSize@", "0") // the arc cache did not pay here and prints hit counts to stdout
                    .replace("@searchManager@",
                            options.lookahead() ? "wordPruningLookaheadSearchManager" : "wordPruningSearchManager");
            for (var e : options.properties().entrySet()) {
                xml = setProperty(xml, e.getKey(), e.getValue());
            }
            Path f = Files.createTempFile("prism-sphinx", ".config.xml");
            f.toFile().deleteOnExit();
            Files.writeString(f, xml);
            config = f;
        }
        return config;
    }

    private static final Pattern GLOBAL = Pattern.compile(
            "^  <property name=\"([A-Za-z]+)\" value=\"([^\"]*)\"/>", Pattern.MULTILINE);

    /** Replaces the value of one global property of the config (the top-level properties, two spaces in). */
    private static String setProperty(String xml, String name, String value) {
        Matcher m = GLOBAL.matcher(xml);
        List<String> known = new ArrayList<>();
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return xml.substring(0, m.start(2)) + value.replace("\"", "&quot;") + xml.substring(m.end(2));
            }
            known.add(m.group(1));
        }
        throw new AudioException("Unknown Sphinx4 property '" + name + "' in SphinxOptions.properties; known: " + known);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            for (Decoder d : all) {
                d.recognizer.deallocate();
            }
            all.clear();
        }
        synchronized (idleStreams) {
            for (StreamDecoder d : idleStreams) {
                d.search.deallocate();
            }
            idleStreams.clear();
        }
    }

    /**
     * Words from the lattice (posterior confidences); Sphinx's lattice builder throws on some utterances
     * where no token reached a word end, then the best path's timed words are used, or none.
     */
    static List<WordResult> words(Result result) {
        try {
            return new SpeechResult(result).getWords();
        } catch (RuntimeException | AssertionError latticeFailed) {
            try {
                return result.getTimedBestResult(false);
            } catch (RuntimeException | AssertionError noPath) {
                return List.of();
            }
        }
    }

    static RecognizedWord toWord(WordResult w, double offset) {
        if (w.isFiller()) {
            return null;
        }
        String spelling = w.getWord().getSpelling().replaceAll("\\(\\d+\\)$", "");
        if (spelling.isEmpty() || spelling.startsWith("<") || spelling.startsWith("[")) {
            return null;
        }
        double conf = LogMath.getLogMath().logToLinear((float) w.getConfidence());
        conf = Double.isFinite(conf) ? Math.max(0, Math.min(1, conf)) : 0;
        double start = w.getTimeFrame().getStart() / 1000.0;
        double end = Math.max(start, w.getTimeFrame().getEnd() / 1000.0);
        return new RecognizedWord(spelling, offset + start, offset + end, conf);
    }

    private record Decoder(Context context, Recognizer recognizer) {
        List<RecognizedWord> decode(float[] pcm, double offset) {
            // Not Context.setSpeechSource: it rewires a component name that only Sphinx's default config has.
            context.getInstance(StreamDataSource.class).setInputStream(new ByteArrayInputStream(toPcm16(pcm)));
            List<RecognizedWord> words = new ArrayList<>();
            Result result;
            while ((result = recognizer.recognize()) != null) {
                for (WordResult w : words(result)) {
                    RecognizedWord rw = toWord(w, offset);
                    if (rw != null) {
                        words.add(rw);
                    }
                }
            }
            return words;
        }

        private static byte[] toPcm16(float[] pcm) {
            byte[] out = new byte[pcm.length * 2];
            for (int i = 0; i < pcm.length; i++) {
                int s = Math.round(Math.max(-1f, Math.min(1f, pcm[i])) * 32767f);
                out[2 * i] = (byte) s;
                out[2 * i + 1] = (byte) (s >> 8);
            }
            return out;
        }
    }
}
