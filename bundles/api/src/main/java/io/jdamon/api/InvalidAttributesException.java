package io.jdamon.api;

/**
 * Monitoring attributes, or a context definition, that cannot be used. The
 * message says what is wrong and how to fix it; {@link #field()} names the
 * offending field.
 */
public class InvalidAttributesException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidAttributesException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** @return the name of the invalid field, as in {@link MonitoringAttributes} */
    public String field() {
        return field;
    }
}
