package dev.kafkacoins.local;

import dev.kafkacoins.local.supervisor.Outcome;
import java.util.ArrayList;
import java.util.List;

/** The sentence a user reads for what the supervisor did: printed by the commands, logged by the scenarios. */
public final class OutcomeText {

    private OutcomeText() {
    }

    public static String of(Outcome outcome) {
        return switch (outcome) {
            case Outcome.Started started -> "started " + started.name() + " (pid " + started.pid() + ")";
            case Outcome.Restarted restarted -> "restarted " + restarted.name() + " (pid " + restarted.pid() + ")";
            case Outcome.Stopped stopped -> "stopped " + stopped.name()
                    + (stopped.restartCancelled() ? " (its pending restart is cancelled)" : "");
            case Outcome.Killed killed -> "killed " + killed.name() + " (pid " + killed.pid() + ")"
                    + (killed.server() == null ? "" : " and its server (postmaster pid "
                    + killed.server().postmasterPid() + " and " + killed.server().backends() + " backends, "
                    + killed.server().why() + ")")
                    + " with SIGKILL" + (killed.held() ? "; it stays down until restarted" : "");
            case Outcome.Signalled signalled -> "sent SIG" + signalled.signal() + " to " + signalled.name() + " (pid "
                    + signalled.pid() + ")";
            case Outcome.Scaled scaled -> {
                List<String> lines = new ArrayList<>();
                scaled.started().forEach(s -> lines.add(of(s)));
                scaled.stopped().forEach(s -> lines.add(of(s)));
                lines.add(count(scaled));
                yield String.join("\n", lines);
            }
        };
    }

    /** The last line of a scale: how many hashers run now. */
    public static String count(Outcome.Scaled scaled) {
        return scaled.running() + (scaled.started().isEmpty() && scaled.stopped().isEmpty()
                ? " hashers already running" : " hashers running");
    }
}
