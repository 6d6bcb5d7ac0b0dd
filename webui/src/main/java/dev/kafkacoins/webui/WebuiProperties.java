package dev.kafkacoins.webui;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the dashboard's own ({@code webui.*}); its database is {@code spring.r2dbc.*}.
 *
 * @param heartbeat  how often an idle live stream gets a {@code :heartbeat} comment, so that proxies between the
 *                   browser and the webui keep it open
 * @param prometheus the Prometheus whose alerts the page shows and links to; none by default
 * @param zipkinUrl  a Zipkin UI as the browser reaches it, which a traced coin on the page links to (its
 *                   {@code /zipkin/traces/<trace id>}); none by default
 */
@ConfigurationProperties("webui")
record WebuiProperties(@DefaultValue("15s") Duration heartbeat, @DefaultValue Prometheus prometheus, URI zipkinUrl) {

    WebuiProperties {
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("webui.heartbeat must be positive, got " + heartbeat);
        }
        checkAddress("webui.zipkin-url", zipkinUrl, "http://127.0.0.1:9411");
        if (zipkinUrl != null && zipkinUrl.getRawUserInfo() != null) {
            // The browser follows it: a login in it would be on the page for anyone to read.
            throw new IllegalArgumentException("webui.zipkin-url takes no user, got " + shown(zipkinUrl));
        }
    }

    /** The Zipkin UI's address without a trailing slash, or null. */
    String zipkinBase() {
        return zipkinUrl == null ? null : withoutSlash(zipkinUrl);
    }

    /** An http(s) address without a query; null passes (not set). */
    private static void checkAddress(String key, URI url, String example) {
        if (url != null && (!url.isAbsolute() || url.getHost() == null
                || !("http".equals(url.getScheme()) || "https".equals(url.getScheme())))) {
            throw new IllegalArgumentException(key + " must be an http(s) address such as " + example + ", got "
                    + shown(url));
        }
        if (url != null && url.getRawQuery() != null) {
            throw new IllegalArgumentException(key + " takes no query, got " + shown(url));
        }
    }

    private static String withoutSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /** The address for a message, without what may be a password in it (user:password@host). */
    private static String shown(URI url) {
        String text = url.toString();
        return text.contains("@") ? "an address with a login in it" : text;
    }

    /**
     * @param url      its address as the browser reaches it, which is also where the webui reads its alerts
     *                 ({@code /api/v1/alerts}); unset, the page shows no alerts
     * @param username basic auth for that read, if Prometheus wants it ({@code ./miner up --observe}'s does)
     * @param password that user's password
     */
    record Prometheus(URI url, String username, String password) {

        Prometheus {
            checkAddress("webui.prometheus.url", url, "http://127.0.0.1:9090");
            if (url != null && url.getRawUserInfo() != null) {
                throw new IllegalArgumentException("webui.prometheus.url takes no user: set "
                        + "webui.prometheus.username and webui.prometheus.password instead, got " + shown(url));
            }
            if ((username == null) != (password == null)) {
                throw new IllegalArgumentException("webui.prometheus.username and webui.prometheus.password go "
                        + "together: set both or neither");
            }
            if (url == null && username != null) {
                throw new IllegalArgumentException("webui.prometheus.username is set but webui.prometheus.url is not");
            }
        }

        boolean configured() {
            return url != null;
        }

        /** The address without a trailing slash, so that paths append to it. */
        String base() {
            return withoutSlash(url);
        }

        @Override
        public String toString() {
            return "Prometheus[url=" + url + ", username=" + username + ", password=" + (password == null ? null
                    : "(set)") + "]";
        }
    }
}
