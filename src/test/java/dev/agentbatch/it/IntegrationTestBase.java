package dev.agentbatch.it;

import java.io.File;
import java.util.UUID;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deploys the WAR the build produced (exactly what ships) to the real provisioned WildFly that Arquillian
 * manages, and gives each test the fake model and the REST client. Tests run as clients of the server.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
public abstract class IntegrationTestBase {

    protected static final FakeOpenAiServer MODEL = FakeOpenAiServer.shared();
    protected static final AgentBatchApi API = AgentBatchApi.forTests();

    @Deployment(testable = false)
    public static WebArchive deployment() {
        File war = new File(System.getProperty("it.war", "target/agent-batch.war"));
        return ShrinkWrap.create(ZipImporter.class, "agent-batch.war").importFrom(war).as(WebArchive.class);
    }

    /** A scenario name unique to this test, to put in a task's input as {@code [scenario:NAME]}. */
    protected static String scenario(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
