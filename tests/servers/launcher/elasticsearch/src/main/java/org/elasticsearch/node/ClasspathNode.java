package org.elasticsearch.node;

import java.util.Collection;
import java.util.List;

import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.ClasspathPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

/**
 * TEST-ONLY (connectors test launcher): an Elasticsearch node whose plugins are
 * classpath classes, built in-process the way Elasticsearch's in-JVM tests build
 * nodes. No security manager, no entitlement agent, no bootstrap checks.
 *
 * <p>Declared in package {@code org.elasticsearch.node} to reach the
 * package-private {@code Node(NodeConstruction)} constructor,
 * {@code NodeConstruction.prepareConstruction} and {@link NodeServiceProvider}.
 */
public class ClasspathNode extends Node {

    public ClasspathNode(Environment environment, Collection<Class<? extends Plugin>> plugins) {
        super(NodeConstruction.prepareConstruction(
            environment,
            ClasspathPluginsService.emptyLoader(),
            new ClasspathServiceProvider(List.copyOf(plugins)),
            false));
    }

    /** Hands the node our classpath PluginsService instead of one that scans a distribution. */
    static final class ClasspathServiceProvider extends NodeServiceProvider {
        private final List<Class<? extends Plugin>> plugins;

        ClasspathServiceProvider(List<Class<? extends Plugin>> plugins) {
            this.plugins = plugins;
        }

        @Override
        PluginsService newPluginService(Environment environment, PluginsLoader pluginsLoader) {
            return new ClasspathPluginsService(environment.settings(), environment.configDir(), plugins);
        }
    }
}
