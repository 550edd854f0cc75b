package dev.agentbatch.loop;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;

import dev.agentbatch.model.MalformedModelResponse;

/**
 * Sorts what the model call threw into the failure taxonomy: transient (retried by the job's policy)
 * or permanent (the task fails at once with {@code MODEL_ERROR}). Pure, unit-tested against openai-java's types.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static RuntimeException classifyModelFailure(RuntimeException e) {
        if (e instanceof TransientFailure || e instanceof AgentFailure) {
            return e;
        }
        if (e instanceof OpenAIIoException || e instanceof OpenAIRetryableException) {
            return new TransientFailure("model call failed: " + describe(e), e);
        }
        if (e instanceof OpenAIServiceException service) {
            int status = service.statusCode();
            if (status == 408 || status == 409 || status == 429 || status >= 500) {
                return new TransientFailure("model answered HTTP " + status + ": " + describe(e), e);
            }
            return new AgentFailure(AgentFailure.MODEL_ERROR, "model answered HTTP " + status + ": " + describe(e), e);
        }
        if (e instanceof OpenAIInvalidDataException || e instanceof MalformedModelResponse) {
            return new AgentFailure(AgentFailure.MODEL_ERROR, "model answer is not a usable chat completion: " + describe(e), e);
        }
        return new AgentFailure(AgentFailure.MODEL_ERROR, "model call failed: " + describe(e), e);
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.length() > 500 ? message.substring(0, 500) + "…" : message;
    }
}
