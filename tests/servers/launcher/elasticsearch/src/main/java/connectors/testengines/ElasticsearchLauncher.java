package connectors.testengines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.ClasspathNode;
import org.elasticsearch.node.InternalSettingsPreparer;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

/**
 * TEST-ONLY launcher: one Elasticsearch 8.19 node (server core + transport-netty4,
 * plus the stand-ins of {@link StandInPlugin}) in this JVM, for the project's
 * integration tests. Started and stopped by tests/servers/elasticsearch.sh.
 *
 * <p>Usage: {@code ElasticsearchLauncher <http-port> <transport-port> <home-dir>}
 *
 * <p>The distribution's entry point cannot be used (the server CLI is not on Maven
 * Central and the bootstrap expects a distribution layout), so the node is built
 * in-process like Elasticsearch's own in-JVM tests do: no security manager, no
 * entitlement agent, no bootstrap checks. Never use this outside tests.
 */
public final class ElasticsearchLauncher {

    private ElasticsearchLauncher() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ElasticsearchLauncher <http-port> <transport-port> <home-dir>");
            System.exit(2);
        }
        final String httpPort = args[0];
        final String transportPort = args[1];
        final Path home = Path.of(args[2]).toAbsolutePath();
        final Path config = home.resolve("config");
        Files.createDirectories(config);
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("modules"));

        final String nodeName = "connectors-test-node";
        final Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("node.name", nodeName)
            .put("cluster.name", "connectors-test")
            .put("discovery.type", "single-node")
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            // Keep a nearly full disk from blocking writes in tests.
            .put("cluster.routing.allocation.disk.threshold_enabled", "false")
            .build();

        // Console logging (stdout, redirected to engine.log by the start script).
        final Path log4j = config.resolve("log4j2.properties");
        if (!Files.exists(log4j)) {
            Files.writeString(log4j, String.join("\n",
                "status = error",
                "appender.console.type = Console",
                "appender.console.name = console",
                "appender.console.layout.type = PatternLayout",
                "appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n",
                "rootLogger.level = info",
                "rootLogger.appenderRef.console.ref = console",
                ""));
        }
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(nodeName);
        LogConfigurator.setClusterName("connectors-test");

        final Environment environment =
            InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> nodeName);
        LogConfigurator.configure(environment, true);
        final Node node = new ClasspathNode(environment, List.of(Netty4Plugin.class, StandInPlugin.class));

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
                if (!node.awaitClose(15, TimeUnit.SECONDS)) {
                    System.err.println("elasticsearch-launcher: node did not close within 15 s");
                }
            } catch (Exception e) {
                System.err.println("elasticsearch-launcher: error while closing: " + e);
            } finally {
                stopped.countDown();
            }
        }, "elasticsearch-launcher-shutdown"));

        node.start();
        System.err.println("elasticsearch-launcher: node started, http port " + httpPort);
        // Keep main alive until SIGTERM/SIGINT; the shutdown hook closes the node.
        stopped.await();
    }
}
