package io.timeoutpolicy.platform.problem;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.PropertyBindingException;

/** What a Jackson binding error means for the caller: which field, and what it should have been. */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** The invalid field of a binding error, its path prefixed (e.g. {@code [3].}) for array elements. */
    public static FieldError fieldError(JsonMappingException e, String prefix) {
        String path = JsonPaths.of(e.getPath());
        String field = prefix.isEmpty() ? path : "body".equals(path) ? prefix.replaceAll("\\.$", "") : prefix + path;
        String message = e instanceof MismatchedInputException mismatch ? expected(mismatch) : "has an invalid value";
        return new FieldError(field, message);
    }

    static String expected(MismatchedInputException e) {
        if (e instanceof PropertyBindingException) {
            return "is not a known field";
        }
        Class<?> type = e.getTargetType();
        if (type == null) {
            return "has the wrong type";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be a boolean";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "must be an integer";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "must be a number";
        }
        if (type == String.class) {
            return "must be a string";
        }
        if (Iterable.class.isAssignableFrom(type) || type.isArray()) {
            return "must be an array";
        }
        return "must be an object";
    }
}
