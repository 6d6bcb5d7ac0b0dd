package dev.kafkacoins.webui;

import dev.kafkacoins.testsupport.RealPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.springframework.context.ConfigurableApplicationContext;

/** The real webui application on a test database with the real schema. */
final class WebuiRun {

    private WebuiRun() {
    }

    static void migrate(RealPostgres postgres) {
        Flyway.configure().dataSource(postgres.jdbcUrl(), postgres.server().username(), postgres.server().password())
                .load().migrate();
    }

    static ConfigurableApplicationContext start(RealPostgres postgres, String... extra) {
        List<String> args = new ArrayList<>(List.of("--server.port=0",
                "--spring.r2dbc.url=" + postgres.jdbcUrl().replace("jdbc:", "r2dbc:"),
                "--spring.r2dbc.username=" + postgres.server().username(),
                "--spring.r2dbc.password=" + postgres.server().password()));
        args.addAll(List.of(extra));
        return WebuiApplication.application().run(args.toArray(String[]::new));
    }

    static String baseUrl(ConfigurableApplicationContext webui) {
        return "http://127.0.0.1:" + webui.getEnvironment().getProperty("local.server.port");
    }

    static void sql(RealPostgres postgres, String statements) throws SQLException {
        try (Connection c = postgres.server().connect(RealPostgres.DATABASE); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }
}
