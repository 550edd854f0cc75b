/**
 * The {@code bin/agent-batch} command-line client: submits and follows agent tasks over the
 * REST API, starts and stops the provisioned WildFly, and runs the first-contact demo.
 *
 * <p>It runs outside the server from {@code target/classes}, next to classes that need the
 * Jakarta APIs, so nothing here may reference anything but the JDK: HTTP goes through
 * {@link java.net.http.HttpClient} and JSON through the small {@link dev.agentbatch.cli.Json}.
 * The WAR plugin leaves this package out of the deployment.
 *
 * <p>{@link dev.agentbatch.cli.AgentBatchCli} is the entry point; its {@code run} method
 * returns the exit code instead of exiting, so tests drive the whole client in-process.
 */
package dev.agentbatch.cli;
