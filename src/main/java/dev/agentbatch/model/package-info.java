/**
 * The model: the {@link dev.agentbatch.model.ChatModel} edge over openai-java, the mapping to and from its
 * types, the model journal that makes a received answer durable, and the offline demo model.
 */
package dev.agentbatch.model;
