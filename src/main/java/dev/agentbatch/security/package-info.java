/**
 * Who may do what. Identities and roles are WildFly's (Elytron's ApplicationDomain, users added with
 * {@code add-user.sh -a}); roles are declared on the resources ({@code @RolesAllowed}) and in web.xml; the rules roles
 * cannot express (a submitter acts on their own tasks; no one approves their own task) live in {@link
 * dev.agentbatch.security.AccessPolicy}; the product's own background work runs as {@link
 * dev.agentbatch.security.SystemIdentity}; and every change a person makes is written to the {@link
 * dev.agentbatch.security.AuditLog}.
 */
package dev.agentbatch.security;
