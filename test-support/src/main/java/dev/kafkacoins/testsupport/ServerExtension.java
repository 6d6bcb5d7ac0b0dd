package dev.kafkacoins.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server for a test: registered on a static field it serves the whole class; on an instance field each
 * test method gets a fresh one (JUnit calls only the per-method callbacks of instance-field extensions).
 */
abstract class ServerExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private boolean started;
    private boolean perMethod;

    protected abstract void startServer();

    protected abstract void stopServer();

    @Override
    public final void beforeAll(ExtensionContext context) {
        begin();
    }

    @Override
    public final void beforeEach(ExtensionContext context) {
        if (!started) {
            perMethod = true;
            begin();
        }
    }

    @Override
    public final void afterEach(ExtensionContext context) {
        if (perMethod) {
            end();
        }
    }

    @Override
    public final void afterAll(ExtensionContext context) {
        end();
    }

    private void begin() {
        startServer();
        started = true;
    }

    private void end() {
        if (started) {
            stopServer();
            started = false;
        }
    }
}
