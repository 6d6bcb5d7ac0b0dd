package dev.kafkacoins.local.supervisor;

import java.util.List;

/**
 * What the supervisor did to a process, as data. The supervisor returns these and the control endpoint sends them as
 * JSON; the words a user reads are the command line's ({@link dev.kafkacoins.local.OutcomeText}), so that a program
 * driving the supervisor (a scenario) can act on a pid without parsing a sentence.
 */
public sealed interface Outcome {

    /** A process {@code scale} started. */
    record Started(String name, long pid) implements Outcome {
    }

    /** A process {@code restart} (or a scenario's replacement spec) started in place of the previous one. */
    record Restarted(String name, long pid) implements Outcome {
    }

    /** @param restartCancelled it was already down, and the stop cancelled the restart it was waiting for */
    record Stopped(String name, boolean restartCancelled) implements Outcome {
    }

    /**
     * @param server PostgreSQL's server, which runs detached from its wrapper and was ended with it; null for
     *               every other process
     * @param held   it stays down until restarted, rather than being restarted as a crash is
     */
    record Killed(String name, long pid, ServerEnded server, boolean held) implements Outcome {
    }

    /** PostgreSQL's server process and its backends, SIGKILLed. */
    record ServerEnded(long postmasterPid, int backends, String why) {
    }

    /** A signal by name ({@code STOP}, {@code CONT}) sent to a process. */
    record Signalled(String name, long pid, String signal) implements Outcome {
    }

    /** @param running the hashers running now */
    record Scaled(List<Started> started, List<Stopped> stopped, int running) implements Outcome {

        public Scaled {
            started = List.copyOf(started);
            stopped = List.copyOf(stopped);
        }
    }
}
