package dev.kafkacoins.webui;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the dashboard's own ({@code webui.*}); its database is {@code spring.r2dbc.*}.
 *
 * @param heartbeat how often an idle live stream gets a {@code :heartbeat} comment, so that proxies between the
 *                  browser and the webui keep it open
 */
@ConfigurationProperties("webui")
record WebuiProperties(@DefaultValue("15s") Duration heartbeat) {

    WebuiProperties {
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("webui.heartbeat must be positive, got " + heartbeat);
        }
    }
}
