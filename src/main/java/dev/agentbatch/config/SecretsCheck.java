package dev.agentbatch.config;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * Refuses to start when the model's API key was given as {@code -DOPENAI_API_KEY=…} on the server's command line,
 * where every user of the machine reads it in the process list. The key comes from the environment, or from WildFly's
 * credential store through an encrypted expression in the server configuration (README "Secrets"): a system property
 * defined in standalone.xml is not on the command line and is accepted.
 */
@ApplicationScoped
public class SecretsCheck {

    void check(@Observes @Priority(0) @Initialized(ApplicationScoped.class) Object event) {
        // the JVM's own options (JAVA_OPTS), then the server's arguments (standalone.sh -DOPENAI_API_KEY=…), which
        // WildFly turns into system properties itself and which only the launcher's command line shows
        List<String> arguments = new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments());
        arguments.addAll(Arrays.asList(System.getProperty("sun.java.command", "").split(" ")));
        for (String argument : arguments) {
            if (argument.startsWith("-DOPENAI_API_KEY=") || argument.equals("-DOPENAI_API_KEY")) {
                throw new IllegalStateException("OPENAI_API_KEY was given as a -D system property on the command line, where"
                        + " the process list shows it to everyone: set it in the environment instead, or in WildFly's"
                        + " credential store (README, Secrets)");
            }
        }
    }
}
