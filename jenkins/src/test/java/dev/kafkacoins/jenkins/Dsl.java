package dev.kafkacoins.jenkins;

import groovy.lang.Closure;

/** Runs a block of the Jenkinsfile with a handler of its own as the delegate, the way declarative sections nest. */
final class Dsl {

    private Dsl() {
    }

    static Object run(Closure<?> block, Object handler) {
        Closure<?> copy = (Closure<?>) block.clone();
        copy.setDelegate(handler);
        copy.setResolveStrategy(Closure.DELEGATE_FIRST);
        return copy.call();
    }
}
