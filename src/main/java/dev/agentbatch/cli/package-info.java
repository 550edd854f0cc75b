/**
 * The {@code bin/agent-batch} command-line client: submits and follows agent tasks over the
 * REST API, starts and stops the provisioned WildFly, and runs the first-contact demo.
 *
 * <p>It runs outside the server, from {@code target/classes} in a checkout or from the CLI archive's
 * {@code lib/} on another host, with three libraries: picocli (commands, options, help, completion),
 * Jackson (JSON) and, for {@code sql} only, the server's H2 driver. HTTP, server-sent events and TLS come
 * from the JDK's {@link java.net.http.HttpClient}. The WAR leaves this package and picocli out.
 *
 * <p>{@link dev.agentbatch.cli.AgentBatchCli} is the root command; its {@code run} method returns the
 * exit code instead of exiting, so tests drive the whole client in-process.
 */
package dev.agentbatch.cli;
