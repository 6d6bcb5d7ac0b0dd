package dev.kafkacoins.service;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;

/**
 * Takes the process down when one of its loops cannot recover, so that its supervisor restarts it: the Spring
 * context is closed first (the other loops finish their unit of work, consumers leave their groups), then the JVM
 * exits with {@link #STATUS}. Runs on a thread of its own because closing the context waits for the loops, and
 * the caller is usually one of them.
 */
@FunctionalInterface
public interface ProcessExit {

    /** EX_SOFTWARE from sysexits.h: told apart from a kill (137) or a SIGTERM (143) in a supervisor's status. */
    int STATUS = 70;

    /** @param who the loop that failed, for the log line */
    void exit(String who, Throwable cause);

    /** The application's: closes this context, then exits. */
    static ProcessExit closing(ApplicationContext context) {
        return (who, cause) -> start(who, cause, () -> SpringApplication.exit(context, () -> STATUS));
    }

    /** For a loop that is not a Spring bean and was given none: exits without closing a context. */
    static ProcessExit withoutContext() {
        return (who, cause) -> start(who, cause, () -> STATUS);
    }

    private static void start(String who, Throwable cause, java.util.function.IntSupplier close) {
        Logger log = LoggerFactory.getLogger(ProcessExit.class);
        log.error("{} cannot recover ({}): ending the process with status {} for its supervisor to restart it",
                who, cause.toString(), STATUS);
        Thread exit = new Thread(() -> {
            int status = STATUS;
            try {
                status = close.getAsInt();
            } catch (RuntimeException e) {
                log.error("closing the application failed", e);
            } finally {
                System.exit(status == 0 ? STATUS : status);
            }
        }, "process-exit");
        exit.start();
    }
}
