/**
 * The approval gate. A task names the tool calls that need a person's approval ({@link
 * dev.agentbatch.approval.ApprovalPolicy}); when the model asks for one, the agent loop records the request in the tool
 * ledger and the job stops itself at the iteration boundary (STOPPED, exit status AWAITING_APPROVAL): the task waits
 * with no thread, connection or slot held. A decision ({@link dev.agentbatch.approval.Approvals#decide}) is recorded
 * and, once every gated call of the turn is decided, the task goes back to the queue in the same transaction; the
 * restarted job replays the journaled turn and runs or denies its calls as decided.
 */
package dev.agentbatch.approval;
