/** Operations: the operator views beside the job repository, retention (the agent-purge job), read-only SQL. */
package dev.agentbatch.ops;
