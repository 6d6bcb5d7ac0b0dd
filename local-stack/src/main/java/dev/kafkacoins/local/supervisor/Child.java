package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.stack.ServiceSpec;
import java.nio.file.Path;
import java.time.Instant;

/** A process the supervisor started, and what became of it. */
public final class Child {

    enum State { STARTING, READY, STOPPING, STOPPED, KILLED, EXITED }

    private final ServiceSpec spec;
    private final Process process;
    private final Path log;
    private final Instant started = Instant.now();
    private volatile State state = State.STARTING;
    private volatile Integer exitStatus;

    Child(ServiceSpec spec, Process process, Path log) {
        this.spec = spec;
        this.process = process;
        this.log = log;
    }

    public ServiceSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    public Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    public Instant started() {
        return started;
    }

    State state() {
        return state;
    }

    Integer exitStatus() {
        return exitStatus;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    void ready() {
        if (state == State.STARTING) {
            state = State.READY;
        }
    }

    /** The supervisor is ending it on purpose: its exit is no surprise. */
    void stopping() {
        state = State.STOPPING;
    }

    void killing() {
        state = State.KILLED;
    }

    /** Records the exit; whether the supervisor expected it. */
    synchronized boolean exited(int status) {
        exitStatus = status;
        boolean expected = state == State.STOPPING || state == State.KILLED
                || (spec.readiness() == ServiceSpec.Readiness.EXIT_ZERO && status == 0);
        if (state != State.KILLED) {
            state = expected ? State.STOPPED : State.EXITED;
        }
        return expected;
    }

    /** How {@code status} describes it: "ready", "exited 137 (SIGKILL)", … */
    String describe() {
        return switch (state) {
            case STARTING -> "starting";
            case READY -> "ready";
            case STOPPING -> "stopping";
            case STOPPED -> "stopped";
            case KILLED -> "killed (./miner kill)";
            case EXITED -> "exited " + exitStatus + signal(exitStatus);
        };
    }

    static String signal(Integer status) {
        String name = signalName(status);
        return name == null ? "" : " (" + name + ")";
    }

    /**
     * The signal that ended a process, as the JDK reports it on Linux and macOS (128 + the signal's number), or
     * null for an ordinary exit status. A program that calls {@code exit(137)} looks the same; none of ours does.
     */
    static String signalName(Integer status) {
        if (status == null) {
            return null;
        }
        return switch (status) {
            case 129 -> "SIGHUP";
            case 130 -> "SIGINT";
            case 131 -> "SIGQUIT";
            case 134 -> "SIGABRT";
            case 137 -> "SIGKILL";
            case 139 -> "SIGSEGV";
            case 143 -> "SIGTERM";
            default -> null;
        };
    }
}
