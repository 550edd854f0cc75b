/** The durable queue: the AGENT_TASK table itself, drained by a dispatcher that applies priority and the cap. */
package dev.agentbatch.queue;
