package org.elasticsearch.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;

import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.node.info.PluginsAndModules;
import org.elasticsearch.common.settings.Settings;

/**
 * TEST-ONLY (connectors test launcher): a PluginsService whose plugins are plain
 * classes on the application classpath instead of bundles under plugins/ and
 * modules/ of a distribution.
 *
 * <p>Declared in package {@code org.elasticsearch.plugins} to reach the
 * package-private {@link PluginsLoader} constructor, {@link LoadedPlugin},
 * {@code loadPlugin} and {@code loadExtensions}. This works because the server jar
 * is on the classpath (unnamed module), where split packages are allowed.
 */
public class ClasspathPluginsService extends PluginsService {

    private final List<LoadedPlugin> classpathPlugins;

    public ClasspathPluginsService(Settings settings, Path configDir, Collection<Class<? extends Plugin>> pluginClasses) {
        // An empty loader: PluginsLoader.createPluginsLoader(...) fails with an NPE
        // when the server is not a named module, the package-private constructor does not.
        super(settings, configDir, emptyLoader());
        final List<LoadedPlugin> loaded = new ArrayList<>();
        for (Class<? extends Plugin> pluginClass : pluginClasses) {
            final Plugin instance = loadPlugin(pluginClass, settings, configDir);
            final PluginDescriptor descriptor = new PluginDescriptor(
                pluginClass.getName(),            // name
                "classpath plugin (test launcher)", // description
                "NA",                             // version
                Build.current().version(),        // elasticsearchVersion
                Integer.toString(Runtime.version().feature()), // javaVersion
                pluginClass.getName(),            // classname
                null,                             // moduleName
                List.of(),                        // extendedPlugins
                false,                            // hasNativeController
                false,                            // isLicensed
                false,                            // isModular
                false);                           // isStable
            loaded.add(new LoadedPlugin(descriptor, instance, pluginClass.getClassLoader()));
        }
        loadExtensions(loaded);
        this.classpathPlugins = List.copyOf(loaded);
    }

    /** The empty loader, built with the package-private constructor. */
    public static PluginsLoader emptyLoader() {
        return new PluginsLoader(Set.of(), Set.of(), Map.of());
    }

    @Override
    protected List<LoadedPlugin> plugins() {
        return classpathPlugins;
    }

    @Override
    public PluginsAndModules info() {
        return new PluginsAndModules(List.of(), List.of());
    }

    /**
     * All plugins share one class loader here, so the base implementation would
     * find every META-INF/services provider once per plugin. Load each provider
     * class once, from the loaders in use, keyed by class name.
     */
    @Override
    public <T> List<? extends T> loadServiceProviders(Class<T> service) {
        final List<ClassLoader> loaders = new ArrayList<>();
        for (LoadedPlugin plugin : plugins()) {
            if (loaders.stream().noneMatch(l -> l == plugin.classLoader())) {
                loaders.add(plugin.classLoader());
            }
        }
        final Map<String, T> byClass = new LinkedHashMap<>();
        for (ClassLoader loader : loaders) {
            for (T provider : ServiceLoader.load(service, loader)) {
                byClass.putIfAbsent(provider.getClass().getName(), provider);
            }
        }
        return List.copyOf(byClass.values());
    }
}
