package dev.kafkacoins.jenkins;

import groovy.lang.Closure;
import groovy.lang.Script;

/** The base class the Jenkinsfile compiles to: its one top-level call, {@code pipeline { ... }}, is kept here. */
public abstract class JenkinsfileScript extends Script {

    private Closure<?> pipeline;

    public Object pipeline(Closure<?> body) {
        if (pipeline != null) {
            throw new IllegalStateException("a Jenkinsfile has one pipeline block");
        }
        pipeline = body;
        return null;
    }

    Closure<?> pipelineBody() {
        if (pipeline == null) {
            throw new IllegalStateException("the Jenkinsfile has no pipeline block");
        }
        return pipeline;
    }
}
