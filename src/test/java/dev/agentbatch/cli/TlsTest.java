package dev.agentbatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * {@code https://} with a private certificate authority: a server whose certificate the JDK does not trust is
 * reached once {@code AGENT_BATCH_CA_FILE} names its authority's PEM. The certificate comes from the JDK's keytool.
 */
class TlsTest {

    private static final char[] STORE_PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;
    private HttpsServer server;
    private Path caFile;
    private String url;

    @BeforeEach
    void startServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        caFile = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", new String(STORE_PASSWORD));
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass",
                new String(STORE_PASSWORD), "-file", caFile.toString());

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, STORE_PASSWORD);
        }
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, STORE_PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/agent-batch/api/tasks", exchange -> {
            byte[] body = "{\"id\": 3, \"state\": \"COMPLETED\", \"iterations\": 1, \"result\": \"ok\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        url = "https://127.0.0.1:" + server.getAddress().getPort() + "/agent-batch";
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, output);
    }

    private int run(Map<String, String> env, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return AgentBatchCli.run(new String[] {"status", "3"}, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aPrivateAuthorityIsTrustedThroughTheCaFile() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, run(Map.of("AGENT_BATCH_URL", url, "AGENT_BATCH_CA_FILE", caFile.toString()), out, err),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("task 3 COMPLETED in 1 iteration: ok"),
                out.toString());
    }

    @Test
    void withoutTheCaFileTheCertificateIsRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(4, run(Map.of("AGENT_BATCH_URL", url), new ByteArrayOutputStream(), err));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("agent-batch: server not reachable at " + url),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCaFileThatIsNotPemIsAUsageError() throws IOException {
        Path notPem = Files.writeString(dir.resolve("ca.txt"), "hello");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(3, run(Map.of("AGENT_BATCH_URL", url, "AGENT_BATCH_CA_FILE", notPem.toString()),
                new ByteArrayOutputStream(), err));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a readable PEM certificate file"),
                err.toString(StandardCharsets.UTF_8));
    }
}
