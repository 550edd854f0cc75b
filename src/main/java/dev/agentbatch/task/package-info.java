/**
 * Agent tasks: the AGENT_TASK and AGENT_MESSAGE entities, accepting and validating tasks, their state
 * changes, restart and stop, and the REST API with its problem mapping.
 */
package dev.agentbatch.task;
