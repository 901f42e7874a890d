package dev.prism.streaming.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates missing topics on any cluster (embedded or external). Idempotent: existing topics are
 * left untouched (never re-partitioned, which would move keys between partitions); a topic created
 * concurrently by another process counts as success. Replication follows the cluster default.
 */
public final class TopicAdmin {
    private static final long TIMEOUT_S = 30;

    private TopicAdmin() {
    }

    /** The names among {@code topics} that do not exist on the cluster. */
    public static Set<String> missingTopics(String bootstrap, java.util.Collection<String> topics) {
        try (Admin admin = Admin.create(adminProps(bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
            Set<String> missing = new java.util.TreeSet<>(topics);
            missing.removeAll(existing);
            return missing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while listing topics on " + bootstrap, e);
        } catch (ExecutionException | TimeoutException e) {
            throw unreachable(bootstrap, e);
        }
    }

    private static Properties adminProps(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        return props;
    }

    private static BrokerException unreachable(String bootstrap, Exception e) {
        return new BrokerException("Kafka at " + bootstrap + " did not answer a topic listing within "
                + TIMEOUT_S + " s: is the broker running and is the bootstrap address right?", e);
    }

    /**
     * @param partitionsByTopic topic name to partition count for topics that must exist
     * @param compacted         names (among those) created with {@code cleanup.policy=compact}
     * @throws BrokerException when the cluster is unreachable or refuses a topic
     */
    public static void ensureTopics(String bootstrap, Map<String, Integer> partitionsByTopic, Set<String> compacted) {
        if (partitionsByTopic.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Integer> e : partitionsByTopic.entrySet()) {
            if (e.getValue() == null || e.getValue() < 1) {
                throw new BrokerException("topic " + e.getKey() + ": partition count must be >= 1, got " + e.getValue());
            }
        }
        try (Admin admin = Admin.create(adminProps(bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_S, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (Map.Entry<String, Integer> e : partitionsByTopic.entrySet()) {
                if (existing.contains(e.getKey())) {
                    continue;
                }
                NewTopic t = new NewTopic(e.getKey(), Optional.of(e.getValue()), Optional.empty());
                if (compacted.contains(e.getKey())) {
                    t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
                }
                missing.add(t);
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var f : admin.createTopics(missing).values().entrySet()) {
                try {
                    f.getValue().get(TIMEOUT_S, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new BrokerException("creating topic " + f.getKey() + " on " + bootstrap + " failed: "
                                + ex.getCause().getMessage(), ex.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerException("interrupted while creating topics on " + bootstrap, e);
        } catch (ExecutionException | TimeoutException e) {
            throw unreachable(bootstrap, e);
        }
    }
}
