/**
 * The agent loop as the batch artifacts of job {@code agent-task}: one chunk of one item is one iteration
 * (reader: the model's turn; processor: its tool calls; writer: the transcript), plus the listeners that
 * keep AGENT_TASK true, and the failure taxonomy that agent-task.xml names.
 */
package dev.agentbatch.loop;
