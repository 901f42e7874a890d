package dev.prism.deploy.api;

/** An error the API answers with a status and a message a person can act on. */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
