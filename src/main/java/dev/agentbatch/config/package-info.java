/** Settings read from the environment at deployment start, and the few CDI producers the product needs. */
package dev.agentbatch.config;
