package dev.agentbatch.model;

/** The model answered, but not with a usable chat completion: a permanent model error. */
public class MalformedModelResponse extends RuntimeException {

    public MalformedModelResponse(String message) {
        super(message);
    }

    public MalformedModelResponse(String message, Throwable cause) {
        super(message, cause);
    }
}
