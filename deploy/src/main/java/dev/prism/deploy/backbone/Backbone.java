package dev.prism.deploy.backbone;

import dev.prism.deploy.config.PrismConfig;
import dev.prism.streaming.Topics;
import dev.prism.streaming.broker.EmbeddedKafka;
import dev.prism.streaming.broker.TopicAdmin;
import dev.prism.streaming.events.EventCodec;
import dev.prism.streaming.events.PrismEvent;
import dev.prism.streaming.store.LocalMediaStore;
import dev.prism.streaming.store.MediaStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

/**
 * The Kafka side of the process: the embedded broker (unless {@code prism.kafka.bootstrap} names a
 * cluster), the topics, the media store and a producer for submissions. Started once, by whoever needs
 * it first (serve, process, the REST API).
 */
@ApplicationScoped
public class Backbone {

    private static final Logger LOG = Logger.getLogger(Backbone.class);

    @Inject
    PrismConfig config;

    private volatile boolean started;
    private EmbeddedKafka broker;
    private String bootstrap;
    private Topics topics;
    private MediaStore store;
    private Path dataDir;
    private KafkaProducer<String, byte[]> producer;

    public synchronized void start(Path dataDirOverride) {
        if (started) return;
        try {
            dataDir = (dataDirOverride != null ? dataDirOverride : Path.of(config.dataDir())).toAbsolutePath();
            Files.createDirectories(dataDir);
            topics = new Topics(config.kafka().topicPrefix());
            if (config.kafka().bootstrap().isPresent() && !config.kafka().bootstrap().get().isBlank()) {
                bootstrap = config.kafka().bootstrap().get();
                LOG.infof("using external Kafka cluster %s", bootstrap);
            } else {
                long t0 = System.nanoTime();
                broker = EmbeddedKafka.start(dataDir.resolve("kafka"), config.kafka().embeddedPort());
                bootstrap = broker.bootstrapServers();
                LOG.infof("embedded Kafka broker (KRaft) up at %s in %d ms, data in %s", bootstrap,
                        (System.nanoTime() - t0) / 1_000_000, dataDir.resolve("kafka"));
            }
            TopicAdmin.ensureTopics(bootstrap, topics.all(config.kafka().partitions()), topics.compacted());
            store = new LocalMediaStore(dataDir.resolve("store"));
            producer = new KafkaProducer<>(producerProps(bootstrap));
            started = true;
        } catch (Exception e) {
            throw new IllegalStateException("Prism could not start its Kafka backbone (data dir " + dataDir
                    + "): " + e.getMessage() + ". Check prism.kafka.bootstrap or that no other Prism uses this data dir.", e);
        }
    }

    static Properties producerProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return p;
    }

    /** Sends and waits for the broker's acknowledgement. */
    public void publish(String topic, PrismEvent event) {
        try {
            producer.send(new ProducerRecord<>(topic, event.jobId(), EventCodec.encode(event))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + topic, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused the record for " + topic + ": " + e.getCause().getMessage(), e);
        }
    }

    public boolean isStarted() { return started; }
    public String bootstrap() { return bootstrap; }
    public Topics topics() { return topics; }
    public MediaStore store() { return store; }
    public Path dataDir() { return dataDir; }
    public PrismConfig config() { return config; }

    public synchronized void stop() {
        if (!started) return;
        started = false;
        if (producer != null) producer.close();
        if (broker != null) broker.close();
    }
}
