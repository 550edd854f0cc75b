/**
 * The operator console's one piece of server code: {@link dev.agentbatch.console.ConsoleRoutes} serves the console's
 * page for each of its addresses. The console itself is static files (src/main/webapp/console) and a client of the
 * public REST API: it has no endpoint of its own.
 */
package dev.agentbatch.console;
