package dev.kafkacoins.local.chaos;

import dev.kafkacoins.kit.GroupLag;
import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.stack.ServiceSpec;
import dev.kafkacoins.local.supervisor.Child;
import dev.kafkacoins.local.supervisor.Supervisor;
import dev.kafkacoins.protocol.ConsumerGroups;
import dev.kafkacoins.protocol.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * Whether every process that lived through a broker outage works again by itself once the broker is back.
 * <p>
 * A group-wide figure cannot tell: restarted processes resume with new clients whatever the survivors do, and the
 * chaos run restarts hashers every few seconds. So each survivor (alive, and started before the outage) is judged
 * on what only it produces, as seen from outside: a hasher must be a member of the hasher group again with
 * partitions of its own; rng must add blocks; the aggregator and the sink must commit their groups' offsets
 * forward; the dashboard must push SSE events. A process whose loop died quietly, while its health says UP, fails
 * here by name. The caller holds other faults off while this runs, so that no restart hides a dead loop.
 */
final class Resumption {

    /** How hashing and each survivor came back; {@code notResumed} names those that did not within the bound. */
    record Outcome(Duration hashing, Map<String, Duration> resumed, List<String> notResumed) {
    }

    private final Supervisor supervisor;
    private final Admin admin;
    private final IntSupplier sseEvents;

    Resumption(Supervisor supervisor, Admin admin, IntSupplier sseEvents) {
        this.supervisor = supervisor;
        this.admin = admin;
        this.sseEvents = sseEvents;
    }

    /** Waits up to {@code bound} from {@code back}, the broker's return, for every survivor of an outage since it. */
    Outcome await(Instant outageStart, Instant back, Duration bound) {
        List<Child> survivors = supervisor.children().stream()
                .filter(c -> c.isAlive() && c.started().isBefore(outageStart)
                        && c.spec().readiness() != ServiceSpec.Readiness.EXIT_ZERO
                        && !c.name().equals(Catalog.KAFKA) && !c.name().equals(Catalog.POSTGRES))
                .toList();
        Baseline before = baseline();
        Map<String, Duration> resumed = new LinkedHashMap<>();
        Duration hashing = null;
        Instant deadline = back.plus(bound);
        while (true) {
            Baseline now = baseline();
            before = before.orWhereUnknown(now);
            Duration since = Duration.between(back, Instant.now());
            if (hashing == null && now.advanced(before, ConsumerGroups.HASHER)) {
                hashing = since;
            }
            List<String> hashersWithPartitions = hashersWithPartitions();
            for (Child survivor : survivors) {
                if (!resumed.containsKey(survivor.name()) && survivor.isAlive()
                        && works(survivor, before, now, hashersWithPartitions)) {
                    resumed.put(survivor.name(), since);
                }
            }
            boolean done = hashing != null && survivors.stream().allMatch(c -> resumed.containsKey(c.name()));
            if (done || Instant.now().isAfter(deadline)) {
                List<String> missing = survivors.stream().map(Child::name)
                        .filter(name -> !resumed.containsKey(name)).toList();
                return new Outcome(hashing, resumed, missing);
            }
            pause();
        }
    }

    private boolean works(Child survivor, Baseline before, Baseline now, List<String> hashersWithPartitions) {
        if (survivor.spec().isHasher()) {
            String prefix = survivor.spec().hasherClientPrefix();
            return hashersWithPartitions.stream().anyMatch(client -> client.startsWith(prefix))
                    && now.advanced(before, ConsumerGroups.HASHER);
        }
        return switch (survivor.name()) {
            case Catalog.RNG -> now.blocks > before.blocks && before.blocks >= 0;
            case Catalog.AGGREGATOR -> now.advanced(before, ConsumerGroups.AGGREGATOR);
            case Catalog.SINK -> now.advanced(before, ConsumerGroups.SINK);
            case Catalog.WEBUI -> now.sseEvents > before.sseEvents;
            default -> true;
        };
    }

    /** The client ids of hasher group members that hold at least one partition. */
    private List<String> hashersWithPartitions() {
        return HasherGroup.members(admin, "").stream()
                .filter(member -> !member.assignment().topicPartitions().isEmpty())
                .map(MemberDescription::clientId).toList();
    }

    private Baseline baseline() {
        Map<String, Long> committed = new LinkedHashMap<>();
        for (String group : List.of(ConsumerGroups.HASHER, ConsumerGroups.AGGREGATOR, ConsumerGroups.SINK)) {
            committed.put(group, committed(group));
        }
        return new Baseline(committed, endOffsets(), sseEvents.getAsInt());
    }

    /** Σ committed offsets of a group; -1 while the broker does not answer. */
    private long committed(String group) {
        try {
            return sum(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS)
                    .values().stream().map(o -> o == null ? 0L : o.offset()).toList());
        } catch (Exception e) {
            return -1;
        }
    }

    /** Σ end offsets of miner.blocks: what rng has written; -1 while the broker does not answer. */
    private long endOffsets() {
        try {
            return GroupLag.read(admin, ConsumerGroups.HASHER, Topics.BLOCKS.name(), Duration.ofSeconds(5)).stream()
                    .mapToLong(GroupLag.Partition::end).sum();
        } catch (Exception e) {
            return -1;
        }
    }

    private static long sum(Collection<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }

    /** The figures a survivor's work moves; -1 where the broker did not answer. */
    private record Baseline(Map<String, Long> committed, long blocks, int sseEvents) {
        /** This baseline, with each figure it could not read taken from {@code later}. */
        Baseline orWhereUnknown(Baseline later) {
            Map<String, Long> merged = new LinkedHashMap<>(later.committed);
            committed.forEach((group, offset) -> {
                if (offset >= 0) {
                    merged.put(group, offset);
                }
            });
            return new Baseline(merged, blocks >= 0 ? blocks : later.blocks, sseEvents);
        }

        boolean advanced(Baseline before, String group) {
            long was = before.committed.getOrDefault(group, -1L);
            return was >= 0 && committed.getOrDefault(group, -1L) > was;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(500); // polling interval of the broker and the dashboard
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MinerException("interrupted");
        }
    }
}
