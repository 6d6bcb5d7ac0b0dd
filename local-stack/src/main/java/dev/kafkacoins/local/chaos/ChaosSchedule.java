package dev.kafkacoins.local.chaos;

import dev.kafkacoins.local.MinerException;
import dev.kafkacoins.local.stack.Catalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * When each fault of a chaos run happens and what it hits, drawn from one seed: the same seed, length and hasher
 * count give the same schedule, down to which hasher is killed, so a failing run can be repeated with
 * {@code --seed}.
 * <p>
 * The broker outage comes first and lasts longer than the clients' timeouts (request 30 s, transactions 10 s,
 * sessions 10 s), up to 75 s; the one-off faults follow one another, in a seeded order, over the rest of the run
 * (a held fault ends before the next begins), and a hasher is killed every 4 to 8 s throughout.
 */
public final class ChaosSchedule {

    /** Longer than the services' Kafka request timeout (30 s), so every client sees its requests time out. */
    static final Duration MIN_BROKER_OUTAGE = Duration.ofSeconds(35);
    static final Duration MAX_BROKER_OUTAGE = Duration.ofSeconds(75);
    /** Longer than the hasher group's session timeout (10 s): the paused member is expelled and must be fenced. */
    static final Duration HASHER_PAUSE = Duration.ofSeconds(15);
    static final Duration POSTGRES_OUTAGE = Duration.ofSeconds(10);
    /** The shortest run that fits the broker outage and, after it, every one-off fault with its hold. */
    public static final Duration SHORTEST = Duration.ofSeconds(90);

    enum Kind {
        BROKER_OUTAGE, KILL_HASHER, PAUSE_HASHER, FRESH_HASHER, KILL_RNG, KILL_AGGREGATOR, KILL_SINK, KILL_WEBUI,
        STOP_POSTGRES, CRASH_POSTGRES, POISON, HOSTILE
    }

    /**
     * @param at     from the start of the faults
     * @param hasher the hasher's index for the hasher faults, else 0
     * @param hold   how long the target stays down or paused, for the faults that hold it; else zero
     */
    record Fault(Duration at, Kind kind, int hasher, Duration hold) {
        String describe() {
            String target = hasher > 0 ? " " + Catalog.HASHER_PREFIX + hasher : "";
            String held = hold.isZero() ? "" : " for " + hold.toSeconds() + " s";
            return String.format("%5d s %s%s%s", at.toSeconds(), kind.name().toLowerCase(), target, held);
        }
    }

    private ChaosSchedule() {
    }

    static List<Fault> of(long seed, Duration length, int hashers) {
        if (length.compareTo(SHORTEST) < 0) {
            throw new MinerException("--seconds: chaos needs at least " + SHORTEST.toSeconds()
                    + " s to fit a broker outage longer than the clients' timeouts and every fault after it, got "
                    + length.toSeconds());
        }
        if (hashers < 2) {
            throw new MinerException("--hashers: chaos needs at least 2 hashers (one is always killed or paused)");
        }
        Random random = new Random(seed);
        long total = length.toMillis();
        List<Fault> faults = new ArrayList<>();

        long outage = Math.clamp(total * 2 / 5, MIN_BROKER_OUTAGE.toMillis(), MAX_BROKER_OUTAGE.toMillis());
        long outageStart = total / 10;
        faults.add(new Fault(Duration.ofMillis(outageStart), Kind.BROKER_OUTAGE, 0, Duration.ofMillis(outage)));

        List<Kind> once = new ArrayList<>(List.of(Kind.PAUSE_HASHER, Kind.FRESH_HASHER, Kind.KILL_RNG,
                Kind.KILL_AGGREGATOR, Kind.KILL_SINK, Kind.KILL_WEBUI, Kind.STOP_POSTGRES, Kind.CRASH_POSTGRES,
                Kind.HOSTILE));
        Collections.shuffle(once, random);
        // Poison and hostile records also go in before the outage, so they cross a broker restart too.
        once.addFirst(Kind.POISON);
        once.add(Kind.POISON);
        once.add(Kind.HOSTILE);
        // One after the other, each after the previous one's hold: a PostgreSQL crash while it is stopped
        // would test nothing.
        long holds = once.stream().mapToLong(kind -> hold(kind).toMillis()).sum();
        long from = outageStart + outage + 3_000;
        long gap = Math.max(1_000, (total - from - 5_000 - holds) / once.size());
        long at = outageStart / 2;
        // The zombie comes back through a session expiry, a fencing and a new life; a hasher under a fresh id
        // taken right after it could still be rejoining, own no partition and not be caught in a transaction.
        // So the two faults take different hashers.
        int firstTarget = 0;
        for (int i = 0; i < once.size(); i++) {
            Kind kind = once.get(i);
            int target = 0;
            if (targets(kind)) {
                target = 1 + random.nextInt(firstTarget == 0 ? hashers : hashers - 1);
                if (firstTarget != 0 && target >= firstTarget) {
                    target++;
                }
                firstTarget = firstTarget == 0 ? target : firstTarget;
            }
            faults.add(new Fault(Duration.ofMillis(at), kind, target, hold(kind)));
            at = i == 0 ? from : at + hold(kind).toMillis() + gap;
        }
        for (long kill = 3_000 + random.nextInt(4_000); kill < total; kill += 4_000 + random.nextInt(4_000)) {
            faults.add(new Fault(Duration.ofMillis(kill), Kind.KILL_HASHER, 1 + random.nextInt(hashers),
                    Duration.ZERO));
        }
        faults.sort(Comparator.comparing(Fault::at));
        return List.copyOf(faults);
    }

    private static boolean targets(Kind kind) {
        return kind == Kind.PAUSE_HASHER || kind == Kind.FRESH_HASHER;
    }

    private static Duration hold(Kind kind) {
        return switch (kind) {
            case PAUSE_HASHER -> HASHER_PAUSE;
            case STOP_POSTGRES -> POSTGRES_OUTAGE;
            default -> Duration.ZERO;
        };
    }
}
