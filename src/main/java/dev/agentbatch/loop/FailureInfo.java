package dev.agentbatch.loop;

/** Why the step failed, handed from {@link StepFailureListener} to {@link TaskStateListener}. */
record FailureInfo(String exitStatus, String message) {
}
