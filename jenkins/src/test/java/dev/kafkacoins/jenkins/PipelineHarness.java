package dev.kafkacoins.jenkins;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyObjectSupport;
import groovy.lang.GroovyShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.codehaus.groovy.control.CompilerConfiguration;

/**
 * Runs the real Jenkinsfile's declarative structure outside Jenkins: compiles it with Groovy, reads the sections
 * (agent, options, environment, stages with their when, steps and post), then executes the stages in order as
 * Jenkins would for a given branch or tag, recording every step instead of running it. A test chooses which
 * {@code sh} commands fail. Steps and sections it does not know fail the run, so the harness never silently skips
 * part of the file.
 * <p>
 * Written by hand because the maintained option, JenkinsPipelineUnit, has no declarative support in the release on
 * Maven Central, and that release does not run on Java 17+. It models only what this Jenkinsfile uses.
 */
final class PipelineHarness {

    /** One step as it ran: its stage, the container it ran in, the directory, the step and its argument. */
    record Step(String stage, String container, String dir, String name, String detail) {
    }

    enum Status { RAN, SKIPPED, FAILED, NOT_REACHED }

    /** What a run did, in order. */
    record Run(Map<String, Status> stages, List<Step> steps, String result, Map<String, String> env) {

        List<String> sh() {
            return steps.stream().filter(s -> s.name().equals("sh")).map(Step::detail).toList();
        }
    }

    /** The sections read from the file, before any stage runs. */
    record Stage(String name, List<String> options, Predicate<Map<String, String>> when, Closure<?> steps,
                 Map<String, Closure<?>> post) {
    }

    record Pipeline(String agentYaml, String defaultContainer, List<String> options, Map<String, String> environment,
                    List<Stage> stages, Map<String, Closure<?>> post) {
    }

    /** A step that failed, as a failing {@code sh} or an {@code error} does in Jenkins. */
    static final class StepFailure extends RuntimeException {
        StepFailure(String message) {
            super(message);
        }
    }

    private PipelineHarness() {
    }

    /** Compiles the Jenkinsfile and reads its sections; a syntax error or an unknown section throws. */
    static Pipeline load(Path jenkinsfile, Map<String, String> env) throws IOException {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(JenkinsfileScript.class.getName());
        Binding binding = new Binding();
        binding.setVariable("env", env);
        binding.setVariable("scm", "scm");
        GroovyShell shell = new GroovyShell(PipelineHarness.class.getClassLoader(), binding, config);
        JenkinsfileScript script = (JenkinsfileScript) shell.parse(Files.readString(jenkinsfile), "Jenkinsfile");
        script.run();
        PipelineSection section = new PipelineSection(env);
        Dsl.run(script.pipelineBody(), section);
        return section.build();
    }

    /** Loads and runs the Jenkinsfile as Jenkins would on a build with {@code env} (BRANCH_NAME, TAG_NAME). */
    static Run run(Path jenkinsfile, Map<String, String> env, Predicate<String> failingSh) throws IOException {
        Map<String, String> runEnv = new LinkedHashMap<>(env);
        Pipeline pipeline = load(jenkinsfile, runEnv);
        List<Step> steps = new ArrayList<>();
        Map<String, Status> statuses = new LinkedHashMap<>();
        boolean failed = false;
        for (Stage stage : pipeline.stages()) {
            if (failed) {
                statuses.put(stage.name(), Status.NOT_REACHED);
                continue;
            }
            if (!stage.when().test(runEnv)) {
                statuses.put(stage.name(), Status.SKIPPED);
                continue;
            }
            Steps runner = new Steps(stage.name(), pipeline.defaultContainer(), runEnv, steps, failingSh);
            try {
                Dsl.run(stage.steps(), runner);
                statuses.put(stage.name(), Status.RAN);
            } catch (StepFailure e) {
                statuses.put(stage.name(), Status.FAILED);
                failed = true;
            }
            runPost(stage.post(), failed, new Steps(stage.name() + " (post)", pipeline.defaultContainer(), runEnv,
                    steps, failingSh));
        }
        runPost(pipeline.post(), failed, new Steps("(post)", pipeline.defaultContainer(), runEnv, steps, failingSh));
        return new Run(statuses, steps, failed ? "FAILURE" : "SUCCESS", runEnv);
    }

    private static void runPost(Map<String, Closure<?>> post, boolean failed, Steps runner) {
        for (String condition : List.of(failed ? "failure" : "success", "always")) {
            Closure<?> block = post.get(condition);
            if (block != null) {
                Dsl.run(block, runner);
            }
        }
    }

    /** {@code pipeline { ... }} */
    static final class PipelineSection {
        private final Map<String, String> env;
        private String agentYaml;
        private String defaultContainer;
        private final List<String> options = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private final List<Stage> stages = new ArrayList<>();
        private final Map<String, Closure<?>> post = new LinkedHashMap<>();

        PipelineSection(Map<String, String> env) {
            this.env = env;
        }

        public void agent(Closure<?> body) {
            Dsl.run(body, new Object() {
                @SuppressWarnings("unused")
                public void kubernetes(Closure<?> kubernetes) {
                    Dsl.run(kubernetes, new Object() {
                        @SuppressWarnings("unused")
                        public void yamlFile(String file) {
                            agentYaml = file;
                        }

                        @SuppressWarnings("unused")
                        public void defaultContainer(String name) {
                            defaultContainer = name;
                        }
                    });
                }
            });
        }

        public void options(Closure<?> body) {
            Dsl.run(body, new Options(options));
        }

        public void environment(Closure<?> body) {
            Dsl.run(body, new Environment());
        }

        /** {@code environment { NAME = value }}; {@code credentials('id')} stands for a Jenkins secret text. */
        public final class Environment extends GroovyObjectSupport {

            @Override
            public void setProperty(String name, Object value) {
                environment.put(name, String.valueOf(value));
                env.put(name, String.valueOf(value));
            }

            public String credentials(String id) {
                return "credentials:" + id;
            }
        }

        public void stages(Closure<?> body) {
            Dsl.run(body, new StageList(stages, env -> true));
        }

        public void post(Closure<?> body) {
            Dsl.run(body, new Post(post));
        }

        Pipeline build() {
            return new Pipeline(agentYaml, defaultContainer, List.copyOf(options), Map.copyOf(environment),
                    List.copyOf(stages), post);
        }
    }

    /**
     * {@code stages { stage('name') { ... } ... }}. Sequential stages nested in a stage are listed in order in
     * its place, each running only when the enclosing stage's {@code when} holds too, as in Jenkins.
     */
    static final class StageList {
        private final List<Stage> stages;
        private final Predicate<Map<String, String>> enclosing;

        StageList(List<Stage> stages, Predicate<Map<String, String>> enclosing) {
            this.stages = stages;
            this.enclosing = enclosing;
        }

        public void stage(String name, Closure<?> body) {
            StageSection section = new StageSection();
            Dsl.run(body, section);
            Predicate<Map<String, String>> when = enclosing.and(section.when);
            if (section.nested != null) {
                if (section.steps != null) {
                    throw new IllegalStateException("stage '" + name + "' has both steps and stages");
                }
                Dsl.run(section.nested, new StageList(stages, when));
                return;
            }
            if (section.steps == null) {
                throw new IllegalStateException("stage '" + name + "' has no steps");
            }
            stages.add(new Stage(name, List.copyOf(section.options), when, section.steps, section.post));
        }
    }

    /** {@code stage('name') { ... }} */
    static final class StageSection {
        private final List<String> options = new ArrayList<>();
        private Predicate<Map<String, String>> when = env -> true;
        private Closure<?> steps;
        private Closure<?> nested;
        private final Map<String, Closure<?>> post = new LinkedHashMap<>();

        public void stages(Closure<?> body) {
            nested = body;
        }

        public void options(Closure<?> body) {
            Dsl.run(body, new Options(options));
        }

        public void when(Closure<?> body) {
            When all = new When();
            Dsl.run(body, all);
            when = all.all();
        }

        public void steps(Closure<?> body) {
            steps = body;
        }

        public void post(Closure<?> body) {
            Dsl.run(body, new Post(post));
        }
    }

    /** {@code options { ... }}: recorded by name, with their arguments. */
    static final class Options {
        private final List<String> recorded;

        Options(List<String> recorded) {
            this.recorded = recorded;
        }

        public void timeout(Map<String, Object> args) {
            recorded.add("timeout " + args.get("time") + " " + args.get("unit"));
        }

        public void buildDiscarder(Object strategy) {
            recorded.add("buildDiscarder " + strategy);
        }

        public Map<String, Object> logRotator(Map<String, Object> args) {
            return new LinkedHashMap<>(args);
        }

        public void disableConcurrentBuilds() {
            recorded.add("disableConcurrentBuilds");
        }

        public void lock(String resource) {
            recorded.add("lock " + resource);
        }
    }

    /** {@code when { ... }}: every condition must hold; anyOf/allOf/not nest. */
    static final class When {
        private final List<Predicate<Map<String, String>>> conditions = new ArrayList<>();

        public void branch(String name) {
            conditions.add(env -> name.equals(env.get("BRANCH_NAME")));
        }

        public void buildingTag() {
            conditions.add(env -> env.get("TAG_NAME") != null);
        }

        public void anyOf(Closure<?> body) {
            When any = new When();
            Dsl.run(body, any);
            conditions.add(env -> any.conditions.stream().anyMatch(c -> c.test(env)));
        }

        public void allOf(Closure<?> body) {
            When all = new When();
            Dsl.run(body, all);
            conditions.add(all.all());
        }

        public void not(Closure<?> body) {
            When inner = new When();
            Dsl.run(body, inner);
            conditions.add(inner.all().negate());
        }

        Predicate<Map<String, String>> all() {
            List<Predicate<Map<String, String>>> copy = List.copyOf(conditions);
            return env -> copy.stream().allMatch(c -> c.test(env));
        }
    }

    /** {@code post { ... }} */
    static final class Post {
        private final Map<String, Closure<?>> blocks;

        Post(Map<String, Closure<?>> blocks) {
            this.blocks = blocks;
        }

        public void always(Closure<?> body) {
            blocks.put("always", body);
        }

        public void success(Closure<?> body) {
            blocks.put("success", body);
        }

        public void failure(Closure<?> body) {
            blocks.put("failure", body);
        }
    }

    /** The steps this Jenkinsfile uses, recorded as they run. */
    static final class Steps {
        private final String stage;
        private final Deque<String> containers = new ArrayDeque<>();
        private final Deque<String> dirs = new ArrayDeque<>();
        private final Map<String, String> env;
        private final List<Step> recorded;
        private final Predicate<String> failingSh;

        Steps(String stage, String defaultContainer, Map<String, String> env, List<Step> recorded,
              Predicate<String> failingSh) {
            this.stage = stage;
            this.containers.push(defaultContainer);
            this.dirs.push(".");
            this.env = env;
            this.recorded = recorded;
            this.failingSh = failingSh;
        }

        public Map<String, String> getEnv() {
            return env;
        }

        private void record(String name, String detail) {
            recorded.add(new Step(stage, containers.peek(), dirs.peek(), name, detail));
        }

        public void checkout(Object scm) {
            record("checkout", String.valueOf(scm));
        }

        public Object sh(String command) {
            return sh(Map.of("script", command));
        }

        public Object sh(Map<String, Object> args) {
            String command = String.valueOf(args.get("script"));
            record("sh", command);
            if (failingSh.test(command)) {
                throw new StepFailure("script returned exit code 1: " + command);
            }
            return Boolean.TRUE.equals(args.get("returnStdout")) ? "0123456789ab\n" : null;
        }

        public void junit(Map<String, Object> args) {
            record("junit", String.valueOf(args.get("testResults")));
        }

        public void echo(String message) {
            record("echo", message);
        }

        public void error(String message) {
            record("error", message);
            throw new StepFailure(message);
        }

        public Object container(String name, Closure<?> body) {
            containers.push(name);
            try {
                return Dsl.run(body, this);
            } finally {
                containers.pop();
            }
        }

        public Object dir(String path, Closure<?> body) {
            dirs.push(path);
            try {
                return Dsl.run(body, this);
            } finally {
                dirs.pop();
            }
        }

        public Object script(Closure<?> body) {
            return Dsl.run(body, this);
        }

        public Map<String, String> usernamePassword(Map<String, String> args) {
            return credential("usernamePassword", args);
        }

        public Map<String, String> file(Map<String, String> args) {
            return credential("file", args);
        }

        private static Map<String, String> credential(String kind, Map<String, String> args) {
            Map<String, String> credential = new LinkedHashMap<>(args);
            credential.put("kind", kind);
            return credential;
        }

        public Object withCredentials(List<Map<String, String>> credentials, Closure<?> body) {
            List<String> variables = new ArrayList<>();
            for (Map<String, String> credential : credentials) {
                record("withCredentials", credential.get("kind") + " " + credential.get("credentialsId"));
                credential.forEach((key, value) -> {
                    if (key.endsWith("Variable") || key.equals("variable")) {
                        variables.add(value);
                    }
                });
            }
            variables.forEach(v -> env.put(v, "****"));
            try {
                return Dsl.run(body, this);
            } finally {
                variables.forEach(env::remove);
            }
        }
    }
}
