import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.tinkerpop.gremlin.process.traversal.Bytecode;
import org.apache.tinkerpop.gremlin.server.GraphManager;
import org.apache.tinkerpop.gremlin.server.GremlinServer;
import org.apache.tinkerpop.gremlin.server.Settings;
import org.apache.tinkerpop.gremlin.server.auth.AuthenticatedUser;
import org.apache.tinkerpop.gremlin.server.authz.AuthorizationException;
import org.apache.tinkerpop.gremlin.server.authz.Authorizer;
import org.apache.tinkerpop.gremlin.structure.Edge;
import org.apache.tinkerpop.gremlin.structure.Element;
import org.apache.tinkerpop.gremlin.structure.Property;
import org.apache.tinkerpop.gremlin.structure.Vertex;
import org.apache.tinkerpop.gremlin.tinkergraph.structure.TinkerGraph;
import org.apache.tinkerpop.gremlin.util.Gremlin;
import org.apache.tinkerpop.gremlin.util.message.RequestMessage;
import org.apache.tinkerpop.shaded.jackson.databind.ObjectMapper;

/**
 * Runs a throwaway Apache TinkerPop Gremlin Server over an in-memory TinkerGraph on 127.0.0.1 for development and
 * tests, standing in for Amazon Neptune (TinkerPop 3.7).
 *
 * Usage: java -cp CLASSPATH GremlinLauncher GREMLIN_PORT INSPECT_PORT
 * The graph is "graph", its traversal source "g"; vertex and edge ids may be any value (Neptune's are strings), and
 * a vertex property written without a cardinality is a set, as on Neptune (but the properties chained to addV() itself
 * are taken as a list: TinkerGraph adds them all, duplicates included). Requests are bytecode traversals
 * (GraphBinary v1 or GraphSON v3); scripts are refused.
 *
 * INSPECT_PORT serves a small HTTP endpoint on 127.0.0.1 for tests: GET /types lists every vertex and edge with the
 * Java class of every id and stored value (what Neptune would be handed), GET /version the TinkerPop version, and
 * POST /clear empties the graph at once (for the benchmark: TinkerGraph removes an edge in time linear in the degree
 * of its ends, so g.V().drop() takes quadratic time on a graph with a vertex of 100,000 edges; g.V().drop() is
 * fine for a test's small graph).
 *
 * Prints "GREMLIN_READY GREMLIN_PORT INSPECT_PORT VERSION" once both accept connections, and stops when stdin
 * closes or on SIGTERM, so the server never outlives the process that started it.
 */
public final class GremlinLauncher {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GremlinLauncher() {}

    public static void main(String[] args) throws IOException {
        try {
            start(args);
        } catch (Exception e) {
            // netty's threads would keep a JVM that failed to start alive
            e.printStackTrace();
            System.exit(1);
        }
        while (System.in.read() != -1) {
            // Wait for the parent to close stdin (or die).
        }
        // halt, not exit: Gremlin Server's shutdown hook (run on SIGTERM) stops netty gracefully, which takes two
        // seconds and keeps nothing, as the graph lives in memory only
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void start(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: GremlinLauncher GREMLIN_PORT INSPECT_PORT");
            System.exit(2);
        }
        // before any TinkerPop class makes its logger; slf4j-simple writes to stderr
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int port = Integer.parseInt(args[0]);
        int inspectPort = Integer.parseInt(args[1]);

        TinkerGraph graph = TinkerGraph.open(tinkerGraphConfiguration());
        GremlinServer server = new GremlinServer(settings(port));
        GraphManager graphs = server.getServerGremlinExecutor().getGraphManager();
        graphs.putGraph("graph", graph);
        graphs.putTraversalSource("g", graph.traversal());
        server.start().join();

        HttpServer inspect = HttpServer.create(new InetSocketAddress("127.0.0.1", inspectPort), 0);
        // one thread: TinkerGraph is read here while the server's threads may write, and a test reads when idle
        inspect.setExecutor(Executors.newSingleThreadExecutor());
        inspect.createContext("/types", exchange -> respond(exchange, "GET", () -> JSON.writeValueAsBytes(types(graph))));
        inspect.createContext("/version", exchange -> respond(exchange, "GET", () -> JSON.writeValueAsBytes(Map.of("version", Gremlin.version()))));
        inspect.createContext("/clear", exchange -> respond(exchange, "POST", () -> {
            graph.clear();
            return JSON.writeValueAsBytes(Map.of("cleared", true));
        }));
        inspect.start();

        System.out.println("GREMLIN_READY " + port + " " + inspectPort + " " + Gremlin.version());
        System.out.flush();
    }

    private static BaseConfiguration tinkerGraphConfiguration() {
        BaseConfiguration config = new BaseConfiguration();
        config.setProperty(TinkerGraph.GREMLIN_TINKERGRAPH_VERTEX_ID_MANAGER, "ANY");
        config.setProperty(TinkerGraph.GREMLIN_TINKERGRAPH_EDGE_ID_MANAGER, "ANY");
        // Neptune's default: property(k, v) without a cardinality adds to a set; a writer must say single
        config.setProperty(TinkerGraph.GREMLIN_TINKERGRAPH_DEFAULT_VERTEX_PROPERTY_CARDINALITY, "set");
        return config;
    }

    private static Settings settings(int port) {
        Settings settings = new Settings();
        settings.host = "127.0.0.1";
        settings.port = port;
        // Bytecode only. No engine is configured, but gremlin-groovy (which Gremlin Server needs on the classpath)
        // would still evaluate scripts, Groovy that Neptune does not run: the authorizer refuses them.
        settings.scriptEngines = new LinkedHashMap<>();
        settings.authorization = new Settings.AuthorizationSettings();
        settings.authorization.authorizer = BytecodeOnly.class.getName();
        settings.authorization.config = Map.of();
        settings.serializers = List.of(
                serializer("org.apache.tinkerpop.gremlin.util.ser.GraphBinaryMessageSerializerV1"),
                serializer("org.apache.tinkerpop.gremlin.util.ser.GraphSONMessageSerializerV3"));
        return settings;
    }

    /** Lets every bytecode traversal through and refuses every script. */
    public static final class BytecodeOnly implements Authorizer {
        @Override
        public void setup(Map<String, Object> config) {}

        @Override
        public Bytecode authorize(AuthenticatedUser user, Bytecode bytecode, Map<String, String> aliases) {
            return bytecode;
        }

        @Override
        public void authorize(AuthenticatedUser user, RequestMessage message) throws AuthorizationException {
            throw new AuthorizationException("this Gremlin Server takes bytecode traversals only, not scripts");
        }
    }

    private static Settings.SerializerSettings serializer(String className) {
        Settings.SerializerSettings serializer = new Settings.SerializerSettings();
        serializer.className = className;
        serializer.config = Map.of();
        return serializer;
    }

    private interface Body {
        byte[] get() throws IOException;
    }

    private static void respond(HttpExchange exchange, String method, Body body) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals(method)) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes;
            int status = 200;
            try {
                bytes = body.get();
            } catch (RuntimeException | IOException e) {
                status = 500;
                bytes = String.valueOf(e).getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().set("Content-Type", status == 200 ? "application/json" : "text/plain");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Every vertex and edge, ordered by id, each property's values in the order the graph holds them. */
    private static Map<String, Object> types(TinkerGraph graph) {
        List<Map<String, Object>> vertices = new ArrayList<>();
        for (Vertex vertex : sorted(graph.vertices())) {
            Map<String, Object> entry = element(vertex);
            Map<String, List<Map<String, Object>>> byKey = new TreeMap<>();
            vertex.properties().forEachRemaining(p -> {
                Map<String, Object> value = typed(p.value());
                List<Map<String, Object>> meta = new ArrayList<>();
                p.properties().forEachRemaining(m -> meta.add(property(m)));
                if (!meta.isEmpty()) value.put("meta", meta);
                byKey.computeIfAbsent(p.key(), k -> new ArrayList<>()).add(value);
            });
            List<Map<String, Object>> properties = new ArrayList<>();
            byKey.forEach((key, values) -> {
                Map<String, Object> property = new LinkedHashMap<>();
                property.put("key", key);
                property.put("values", values);
                properties.add(property);
            });
            entry.put("properties", properties);
            vertices.add(entry);
        }
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Edge edge : sorted(graph.edges())) {
            Map<String, Object> entry = element(edge);
            entry.put("outV", typed(edge.outVertex().id()));
            entry.put("inV", typed(edge.inVertex().id()));
            List<Map<String, Object>> properties = new ArrayList<>();
            edge.properties().forEachRemaining(p -> properties.add(property(p)));
            properties.sort(Comparator.comparing(p -> (String) p.get("key")));
            entry.put("properties", properties);
            edges.add(entry);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("vertices", vertices);
        result.put("edges", edges);
        return result;
    }

    private static <E extends Element> List<E> sorted(Iterator<E> elements) {
        List<E> list = new ArrayList<>();
        elements.forEachRemaining(list::add);
        list.sort(Comparator.comparing(e -> String.valueOf(e.id())));
        return list;
    }

    private static Map<String, Object> element(Element element) {
        Map<String, Object> entry = new LinkedHashMap<>();
        Map<String, Object> id = typed(element.id());
        entry.put("id", id.get("value"));
        entry.put("idClass", id.get("class"));
        entry.put("label", element.label());
        return entry;
    }

    private static Map<String, Object> property(Property<?> property) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("key", property.key());
        entry.putAll(typed(property.value()));
        return entry;
    }

    /** A value as text (dates as UTC instants, bytes as base64) with its Java class name. */
    private static Map<String, Object> typed(Object value) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("value", text(value));
        entry.put("class", value == null ? null : value.getClass().getName());
        return entry;
    }

    private static String text(Object value) {
        if (value == null) return null;
        if (value instanceof Date) return ((Date) value).toInstant().toString();
        if (value instanceof byte[]) return Base64.getEncoder().encodeToString((byte[]) value);
        if (value.getClass().isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(value); i++) items.add(text(Array.get(value, i)));
            return items.toString();
        }
        return String.valueOf(value);
    }
}
