package dev.kafkacoins.kit;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Names a service instance in record ids, client ids and transactional ids. On Kubernetes the pod name
 * (HOSTNAME) is unique; on one machine several processes share a host name, so the pid is appended unless the
 * instance id is configured explicitly (the local stack names its processes h1, h2, ...).
 */
public final class InstanceIds {

    private InstanceIds() {
    }

    public static String resolve(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return hostName() + "-" + ProcessHandle.current().pid();
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
