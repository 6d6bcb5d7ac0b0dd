package dev.kafkacoins.local.supervisor;

import dev.kafkacoins.local.StackOptions;
import java.util.Map;

/**
 * A program that starts a fresh stack of its own, does things to it and judges it: {@code ./miner chaos} and
 * {@code ./miner bench}. {@link StackRun#ownStack} drives every scenario the same way: an emptied stack in
 * {@code data/<name>} with the scenario's options, brought up as {@code ./miner up} brings one up; then
 * {@link #run}; then the verdict's summary as JSON and its last line; then the stack stopped, and the verdict's
 * exit status. A new scenario (a rollout, a share-group run) implements this and gets a subcommand in
 * {@code Miner}; a {@link dev.kafkacoins.local.MinerException} thrown from {@link #run} fails it with its message.
 */
public interface Scenario {

    /** Its data directory under the user's ({@code data/chaos}), beside a running {@code ./miner up}. */
    String name();

    /** The stack it runs on: hashers, rng's mode and its own port base. */
    StackOptions options();

    /** Does its work on the running stack; {@link RunningStack#stopRngAndDrain} ends the input when it is time. */
    Verdict run(RunningStack stack) throws Exception;

    /**
     * @param summary every figure, printed as JSON
     * @param line    the last line, the one a script or a person reads first
     * @param ok      false exits the command with 1
     */
    record Verdict(Map<String, Object> summary, String line, boolean ok) {
    }
}
