import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.configuration.ssl.ClientAuth;
import org.neo4j.configuration.ssl.SslPolicyConfig;
import org.neo4j.configuration.ssl.SslPolicyScope;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs a throwaway Neo4j 5 Community DBMS with Bolt on 127.0.0.1 for development and tests.
 *
 * Usage: java -cp CLASSPATH Neo4jLauncher HOME_DIR BOLT_PORT
 * The neo4j user's password comes from the environment (NEO4J_LAUNCHER_PASSWORD), never from argv,
 * so it does not show up in process listings. NEO4J_LAUNCHER_AUTH=none starts it with authentication
 * disabled instead (no password; every login is accepted), like a server named by NEO4J_URI may be.
 * NEO4J_LAUNCHER_TLS_DIR names a directory holding private.key and public.crt (PEM): Bolt then requires TLS
 * with that certificate (dbms.ssl.policy.bolt.*, server.bolt.tls_level=REQUIRED); unset, Bolt is plain.
 * LOAD CSV reads file:/// URLs only under NEO4J_LAUNCHER_IMPORT_DIR (server.directories.import), default HOME_DIR/import;
 * unset, Neo4j embedded would read any absolute path on the machine.
 * Prints "NEO4J_READY" once Bolt accepts connections and
 * stops when stdin closes, so the DBMS never outlives the process that started it. HOME_DIR may hold the store of
 * an earlier run (one stopped or killed): it is started again on that store, with the same password.
 */
public final class Neo4jLauncher {
    private Neo4jLauncher() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: Neo4jLauncher HOME_DIR BOLT_PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        String auth = System.getenv().getOrDefault("NEO4J_LAUNCHER_AUTH", "password");
        if (!auth.equals("password") && !auth.equals("none")) {
            System.err.println("NEO4J_LAUNCHER_AUTH must be \"password\" or \"none\", not \"" + auth + "\"");
            System.exit(2);
        }
        boolean authEnabled = auth.equals("password");
        String password = System.getenv("NEO4J_LAUNCHER_PASSWORD");
        if (authEnabled && (password == null || password.length() < 8)) {
            System.err.println("NEO4J_LAUNCHER_PASSWORD must hold at least 8 characters");
            System.exit(2);
        }
        long pageCache = Long.parseLong(System.getenv().getOrDefault("NEO4J_LAUNCHER_PAGECACHE_MB", "512"));

        String tlsDir = System.getenv("NEO4J_LAUNCHER_TLS_DIR");
        boolean tls = tlsDir != null && !tlsDir.isEmpty();

        DatabaseManagementServiceBuilder builder = new DatabaseManagementServiceBuilder(home);
        if (tls) {
            SslPolicyConfig bolt = SslPolicyConfig.forScope(SslPolicyScope.BOLT);
            builder.setConfig(bolt.enabled, true)
                    .setConfig(bolt.base_directory, Path.of(tlsDir).toAbsolutePath())
                    .setConfig(bolt.private_key, Path.of(tlsDir, "private.key").toAbsolutePath())
                    .setConfig(bolt.public_certificate, Path.of(tlsDir, "public.crt").toAbsolutePath())
                    .setConfig(bolt.client_auth, ClientAuth.NONE);
        }
        String importDir = System.getenv("NEO4J_LAUNCHER_IMPORT_DIR");
        Path importRoot = importDir == null || importDir.isEmpty() ? home.resolve("import") : Path.of(importDir);
        DatabaseManagementService dbms = builder
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, importRoot.toAbsolutePath())
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level,
                        tls ? BoltConnector.EncryptionLevel.REQUIRED : BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, authEnabled)
                // Tests try wrong passwords on purpose; a lockout would fail the next, correct login.
                .setConfig(GraphDatabaseSettings.auth_max_failed_attempts, 0)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCache * 1024 * 1024)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown));

        if (authEnabled) {
            // The initial password of a fresh DBMS is "neo4j" and must be changed before use. Started again on
            // its own store (a restart), the user has this password already, which Neo4j refuses to set twice.
            try {
                dbms.database("system").executeTransactionally(
                        "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
            } catch (RuntimeException e) {
                if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) throw e;
            }
        }

        System.out.println("NEO4J_READY " + (tls ? "bolt+s" : "bolt") + "://127.0.0.1:" + port);
        System.out.flush();
        while (System.in.read() != -1) {
            // Wait for the parent to close stdin (or die).
        }
        System.exit(0);
    }
}
