package connectors.testengines;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.elasticsearch.Build;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.ClusterState;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.bytes.BytesArray;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.ingest.AbstractProcessor;
import org.elasticsearch.ingest.ConfigurationUtils;
import org.elasticsearch.ingest.IngestDocument;
import org.elasticsearch.ingest.Processor;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.IngestPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.xcontent.XContentBuilder;

/**
 * TEST-ONLY STAND-INS for Elasticsearch modules that are not published on Maven
 * Central. They exist so that the connectors' tests can talk to an Elasticsearch
 * 8.19 core node; they are NOT Elasticsearch's implementations:
 *
 * <ul>
 *   <li>{@code GET /} and {@code HEAD /}: stand-in for module {@code rest-root}.
 *       Returns the usual root document (name, cluster_name, cluster_uuid,
 *       version{number, build_flavor, lucene_version, ...}, tagline).</li>
 *   <li>Ingest processors {@code set} and {@code remove}: minimal stand-ins for
 *       module {@code ingest-common}, enough for a pipeline to exist and do simple
 *       work. No mustache templates (values are literal), no {@code copy_from},
 *       no {@code keep}; {@code if} conditions need painless, which is absent.</li>
 * </ul>
 */
public class StandInPlugin extends Plugin implements ActionPlugin, IngestPlugin {

    private volatile ClusterService clusterService;

    @Override
    public Collection<?> createComponents(PluginServices services) {
        this.clusterService = services.clusterService();
        return List.of();
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootHandler());
    }

    @Override
    public Map<String, Processor.Factory> getProcessors(Processor.Parameters parameters) {
        return Map.of(
            SetProcessor.TYPE, SetProcessor::create,
            RemoveProcessor.TYPE, RemoveProcessor::create);
    }

    /** Stand-in for rest-root's RestMainAction: the root document. */
    private final class RootHandler extends BaseRestHandler {

        @Override
        public String getName() {
            return "connectors_test_stand_in_root_action";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            final boolean head = request.method() == RestRequest.Method.HEAD;
            return channel -> {
                if (head) {
                    channel.sendResponse(new RestResponse(RestStatus.OK, "application/json", BytesArray.EMPTY));
                    return;
                }
                channel.sendResponse(new RestResponse(RestStatus.OK, rootDocument(channel.newBuilder())));
            };
        }

        private XContentBuilder rootDocument(XContentBuilder builder) throws IOException {
            final Build build = Build.current();
            final ClusterService cs = clusterService;
            final ClusterState state = cs.state();
            builder.startObject();
            builder.field("name", cs.getNodeName());
            builder.field("cluster_name", cs.getClusterName().value());
            builder.field("cluster_uuid", state.metadata().clusterUUID());
            builder.startObject("version");
            builder.field("number", build.qualifiedVersion());
            builder.field("build_flavor", "default");
            builder.field("build_type", build.type().displayName());
            builder.field("build_hash", build.hash());
            builder.field("build_date", build.date());
            builder.field("build_snapshot", build.isSnapshot());
            builder.field("lucene_version", org.apache.lucene.util.Version.LATEST.toString());
            builder.field("minimum_wire_compatibility_version", build.minWireCompatVersion());
            builder.field("minimum_index_compatibility_version", build.minIndexCompatVersion());
            builder.endObject();
            builder.field("tagline", "You Know, for Search");
            builder.endObject();
            return builder;
        }
    }

    /** Stand-in for ingest-common's {@code set}: literal value, {@code override}, {@code ignore_empty_value}. */
    static final class SetProcessor extends AbstractProcessor {
        static final String TYPE = "set";
        private final String field;
        private final Object value;
        private final boolean override;
        private final boolean ignoreEmptyValue;

        private SetProcessor(String tag, String description, String field, Object value, boolean override,
                             boolean ignoreEmptyValue) {
            super(tag, description);
            this.field = field;
            this.value = value;
            this.override = override;
            this.ignoreEmptyValue = ignoreEmptyValue;
        }

        static Processor create(Map<String, Processor.Factory> registry, String tag, String description,
                                Map<String, Object> config) {
            final String field = ConfigurationUtils.readStringProperty(TYPE, tag, config, "field");
            final Object value = ConfigurationUtils.readObject(TYPE, tag, config, "value");
            final boolean override = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "override", true);
            final boolean ignoreEmpty = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_empty_value", false);
            return new SetProcessor(tag, description, field, value, override, ignoreEmpty);
        }

        @Override
        public IngestDocument execute(IngestDocument document) {
            if (ignoreEmptyValue && (value == null || "".equals(value))) {
                return document;
            }
            if (override || !document.hasField(field) || document.getFieldValue(field, Object.class, true) == null) {
                document.setFieldValue(field, IngestDocument.deepCopy(value));
            }
            return document;
        }

        @Override
        public String getType() {
            return TYPE;
        }
    }

    /** Stand-in for ingest-common's {@code remove}: {@code field} (string or list), {@code ignore_missing}. */
    static final class RemoveProcessor extends AbstractProcessor {
        static final String TYPE = "remove";
        private final List<String> fields;
        private final boolean ignoreMissing;

        private RemoveProcessor(String tag, String description, List<String> fields, boolean ignoreMissing) {
            super(tag, description);
            this.fields = fields;
            this.ignoreMissing = ignoreMissing;
        }

        static Processor create(Map<String, Processor.Factory> registry, String tag, String description,
                                Map<String, Object> config) {
            final Object raw = ConfigurationUtils.readObject(TYPE, tag, config, "field");
            final List<String> fields = new ArrayList<>();
            if (raw instanceof List<?> list) {
                for (Object item : list) {
                    fields.add(String.valueOf(item));
                }
            } else {
                fields.add(String.valueOf(raw));
            }
            final boolean ignoreMissing = ConfigurationUtils.readBooleanProperty(TYPE, tag, config, "ignore_missing", false);
            return new RemoveProcessor(tag, description, List.copyOf(fields), ignoreMissing);
        }

        @Override
        public IngestDocument execute(IngestDocument document) {
            for (String field : fields) {
                if (ignoreMissing && !document.hasField(field)) {
                    continue;
                }
                document.removeField(field);
            }
            return document;
        }

        @Override
        public String getType() {
            return TYPE;
        }
    }
}
