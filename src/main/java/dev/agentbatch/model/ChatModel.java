package dev.agentbatch.model;

import java.time.Duration;
import java.util.List;

/**
 * The model at the I/O edge, so the loop does not depend on the SDK. Implementations throw the SDK's
 * exceptions unchanged; {@code dev.agentbatch.loop.FailureClassifier} decides what is transient.
 */
public interface ChatModel {

    /**
     * @param timeout never longer than what is left of the iteration and of the run
     */
    ModelTurn next(List<ChatMessage> conversation, List<ToolSpec> tools, Duration timeout);

    String modelName();
}
