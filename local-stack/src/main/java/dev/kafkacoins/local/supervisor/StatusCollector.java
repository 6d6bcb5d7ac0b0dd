package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.StackLayout;
import dev.kafkacoins.local.observe.Prometheus;
import dev.kafkacoins.local.stack.Catalog;
import dev.kafkacoins.local.stack.Probes;
import dev.kafkacoins.local.supervisor.StackStatus.Mining;
import dev.kafkacoins.local.supervisor.StackStatus.ProcessRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;

/** Gathers {@link StackStatus}: each process's state and health, memory, and the dashboard's own figures. */
final class StatusCollector {

    private final Supervisor supervisor;
    private final Probes probes;
    private final StackLayout layout;
    private final Instant started;

    StatusCollector(Supervisor supervisor, Probes probes, StackLayout layout, Instant started) {
        this.supervisor = supervisor;
        this.probes = probes;
        this.layout = layout;
        this.started = started;
    }

    StackStatus collect() throws Exception {
        Catalog catalog = supervisor.catalog();
        List<Child> children = supervisor.children();
        List<ProcessRow> rows = new ArrayList<>();
        try (ExecutorService probing = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ProcessRow>> pending = new ArrayList<>();
            for (Child child : children) {
                pending.add(probing.submit(() -> row(child)));
            }
            Future<Mining> mining = probing.submit(this::mining);
            for (Future<ProcessRow> row : pending) {
                rows.add(row.get());
            }
            long memory = rows.stream().mapToLong(ProcessRow::memoryBytes).sum()
                    + Memory.bytes(ProcessHandle.current().pid());
            return new StackStatus(catalog.dashboardUrl(), catalog.bootstrapServers(), catalog.jdbcUrl(),
                    layout.data().toString(), Duration.between(started, Instant.now()).toSeconds(), rows, memory,
                    mining.get(), catalog.prometheus().map(Prometheus::url).orElse(null));
        }
    }

    private ProcessRow row(Child child) {
        boolean alive = child.isAlive();
        String health = alive ? probes.health(child.spec()) : "-";
        long memory = 0;
        if (alive) {
            memory = Memory.bytes(child.pid());
            if (child.name().equals(Catalog.POSTGRES)) {
                memory += Leftovers.postmaster(layout).map(Memory::treeBytes).orElse(0L);
            }
        }
        Supervisor.History history = supervisor.history(child.name());
        String state = child.describe() + history.restartAt().filter(at -> !alive)
                .map(at -> ", restart in " + Math.max(0, Duration.between(Instant.now(), at).toSeconds()) + " s")
                .orElse("");
        return new ProcessRow(child.name(), child.pid(), child.spec().port(), state, health, memory,
                history.restarts(), history.lastExit());
    }

    private Mining mining() {
        int port = supervisor.catalog().ports().webui();
        JsonNode summary = probes.get(port, "/api/summary");
        JsonNode group = probes.get(port, "/api/group");
        Double rate = summary == null ? null : summary.path("rate").asDouble();
        Long hashes = summary == null ? null : summary.path("hashes").asLong();
        Long coins = summary == null ? null : summary.path("coins").asLong();
        if (group == null) {
            return new Mining(rate, hashes, coins, null, null, null, null, null);
        }
        int idle = 0;
        for (JsonNode member : group.path("members")) {
            if (member.path("idle").asBoolean()) {
                idle++;
            }
        }
        return new Mining(rate, hashes, coins, group.path("state").asString(), group.path("members").size(), idle,
                group.path("partitions").asInt(), group.path("totalLag").asLong());
    }
}
