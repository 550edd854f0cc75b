/**
 * Tools: the {@link dev.agentbatch.tools.AgentTool} SPI, the workspace every file tool is confined to,
 * the built-in tools, and the tool ledger that makes side effects effectively-once.
 */
package dev.agentbatch.tools;
