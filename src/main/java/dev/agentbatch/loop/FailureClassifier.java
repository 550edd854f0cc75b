package dev.agentbatch.loop;

import java.util.List;

import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIRetryableException;
import com.openai.errors.OpenAIServiceException;

import dev.agentbatch.model.MalformedModelResponse;
import dev.agentbatch.task.ExitStatus;

/**
 * Sorts what the model call threw into the failure taxonomy: transient (retried by the job's policy)
 * or permanent (the task fails at once with {@code MODEL_ERROR}). Pure, unit-tested against openai-java's types.
 * The SDK's exception is described in the message, not kept as the cause: JBeret keeps a serialized copy of the
 * step's exception, and openai-java's exceptions (headers, JSON values) do not serialize, so a chained cause
 * would reach the listeners as a bare copy that has lost its type and exit status.
 */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static RuntimeException classifyModelFailure(RuntimeException e) {
        if (e instanceof TransientFailure || e instanceof AgentFailure) {
            return e;
        }
        if (e instanceof OpenAIIoException || e instanceof OpenAIRetryableException) {
            return new TransientFailure("model call failed: " + describe(e), null);
        }
        if (e instanceof OpenAIServiceException service) {
            int status = service.statusCode();
            if (status == 408 || status == 409 || status == 429 || status >= 500) {
                return new TransientFailure("model answered HTTP " + status + ": " + describe(e), null,
                        retryAfter(service.headers()));
            }
            return new AgentFailure(ExitStatus.MODEL_ERROR, "model answered HTTP " + status + ": " + describe(e));
        }
        if (e instanceof OpenAIInvalidDataException || e instanceof MalformedModelResponse) {
            return new AgentFailure(ExitStatus.MODEL_ERROR, "model answer is not a usable chat completion: " + describe(e));
        }
        return new AgentFailure(ExitStatus.MODEL_ERROR, "model call failed: " + e.getClass().getSimpleName() + ": " + describe(e));
    }

    /**
     * The model refused the request as longer than its context: OpenAI's code {@code context_length_exceeded}, or the
     * words other OpenAI-compatible servers use (vLLM "maximum context length", llama.cpp "context size").
     */
    public static boolean isContextLengthError(RuntimeException e) {
        if (!(e instanceof OpenAIServiceException service) || service.statusCode() != 400) {
            return false;
        }
        if (service.code().map("context_length_exceeded"::equals).orElse(false)) {
            return true;
        }
        String message = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return message.contains("context length") || message.contains("context_length") || message.contains("context size")
                || message.contains("context window");
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        Throwable cause = e.getCause();
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause != null && cause != e) {
            // openai-java says only "Request failed" for an I/O error: the root cause says which (a timeout, a reset)
            message = message + " (" + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
        }
        return message.length() > 500 ? message.substring(0, 500) + "…" : message;
    }

    /** {@code Retry-After-Ms} or {@code Retry-After} (seconds), as OpenAI-compatible servers send them. */
    static java.time.Duration retryAfter(com.openai.core.http.Headers headers) {
        try {
            List<String> ms = headers.values("retry-after-ms");
            if (!ms.isEmpty()) {
                return java.time.Duration.ofMillis((long) Double.parseDouble(ms.get(0).trim()));
            }
            List<String> seconds = headers.values("retry-after");
            if (!seconds.isEmpty()) {
                return java.time.Duration.ofMillis((long) (Double.parseDouble(seconds.get(0).trim()) * 1000));
            }
        } catch (NumberFormatException httpDate) {
            // an HTTP-date Retry-After: fall back to our own backoff
        }
        return null;
    }
}
