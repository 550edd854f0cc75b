package dev.agentbatch.loop;

import dev.agentbatch.task.ExitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import com.openai.core.http.Headers;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnexpectedStatusCodeException;

import dev.agentbatch.model.MalformedModelResponse;

/** The failure taxonomy against openai-java's real exception types. */
class FailureClassifierTest {

    private static final Headers NO_HEADERS = Headers.builder().build();

    @Test
    void rateLimitServerErrorsAndIoAreTransient() {
        assertInstanceOf(TransientFailure.class, FailureClassifier.classifyModelFailure(
                RateLimitException.builder().headers(NO_HEADERS).build()));
        assertInstanceOf(TransientFailure.class, FailureClassifier.classifyModelFailure(
                InternalServerException.builder().statusCode(503).headers(NO_HEADERS).build()));
        assertInstanceOf(TransientFailure.class, FailureClassifier.classifyModelFailure(
                new OpenAIIoException("timeout", new SocketTimeoutException())));
        assertInstanceOf(TransientFailure.class, FailureClassifier.classifyModelFailure(
                UnexpectedStatusCodeException.builder().statusCode(408).headers(NO_HEADERS).build()));
    }

    @Test
    void retryAfterIsHonoured() {
        TransientFailure seconds = (TransientFailure) FailureClassifier.classifyModelFailure(RateLimitException.builder()
                .headers(Headers.builder().put("Retry-After", "3").build()).build());
        assertEquals(java.time.Duration.ofSeconds(3), seconds.retryAfter());
        TransientFailure millis = (TransientFailure) FailureClassifier.classifyModelFailure(RateLimitException.builder()
                .headers(Headers.builder().put("retry-after-ms", "250").build()).build());
        assertEquals(java.time.Duration.ofMillis(250), millis.retryAfter());
        TransientFailure none = (TransientFailure) FailureClassifier.classifyModelFailure(
                InternalServerException.builder().statusCode(500).headers(NO_HEADERS).build());
        assertEquals(null, none.retryAfter());
    }

    @Test
    void clientErrorsAndBadBodiesArePermanent() {
        assertModelError(BadRequestException.builder().headers(NO_HEADERS).build());
        assertModelError(UnauthorizedException.builder().headers(NO_HEADERS).build());
        assertModelError(UnexpectedStatusCodeException.builder().statusCode(404).headers(NO_HEADERS).build());
        assertModelError(new OpenAIInvalidDataException("not a chat completion"));
        assertModelError(new MalformedModelResponse("no choices"));
        assertModelError(new IllegalStateException("surprise"));
    }

    @Test
    void stepFailureNamesTheExitStatus() {
        assertEquals("ITERATION_LIMIT", StepFailureListener.describe(
                new RuntimeException(new AgentFailure(ExitStatus.ITERATION_LIMIT, "x"))).exitStatus());
        assertEquals("RETRIES_EXHAUSTED", StepFailureListener.describe(
                new AgentFailure(ExitStatus.RETRIES_EXHAUSTED, "iteration 2 failed 4 times")).exitStatus());
        assertEquals("RETRY_BUDGET_EXHAUSTED", StepFailureListener.describe(new TransientFailure("429", null)).exitStatus(),
                "a retryable failure reaches the step only when JBeret's retry-limit, the execution's budget, is spent");
        assertEquals("FAILED", StepFailureListener.describe(new IllegalStateException("bug")).exitStatus());
    }

    private static void assertModelError(RuntimeException e) {
        RuntimeException classified = FailureClassifier.classifyModelFailure(e);
        AgentFailure failure = assertInstanceOf(AgentFailure.class, classified);
        assertEquals(ExitStatus.MODEL_ERROR, failure.exitStatus());
    }
}
