package io.timeoutpolicy.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.Printable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What text the service accepts anywhere in a request, in one place (SPEC 5): no NUL (PostgreSQL refuses it in
 * text and jsonb, and a refused write must never look like an outage), no other control characters (they forge
 * log lines and mean nothing in a name), no lone surrogates (they cannot be encoded as UTF-8: the database would
 * store '?', JSON answers would fail), at most {@value #MAX_LENGTH} characters (the per-field limits of
 * {@code InputLimits} are tighter; this bounds the fields without one), and no {@code null} item in an array.
 * Pure: the shell ({@link BodyTextCheck}, {@link UrlTextCheck}) decides where it applies.
 */
public final class TextRules {

    /** The longest string or object key accepted anywhere in a body or a query parameter. */
    public static final int MAX_LENGTH = 1024;

    private TextRules() {
    }

    /** Why {@code text} is refused, or null when it is acceptable. */
    public static String problem(String text) {
        if (text.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "must not contain NUL (U+0000)";
            }
            if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
                return "must not contain control characters (U+" + String.format("%04X", (int) c) + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must be valid Unicode text (a lone surrogate U+" + String.format("%04X", (int) c) + ")";
            }
        }
        return null;
    }

    /** Every refused string, key and null array item of a JSON body, named by its path ({@code a.b[2].c}). */
    public static List<FieldError> check(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body != null && body.isTextual()) {
            String problem = problem(body.textValue());
            if (problem != null) {
                errors.add(new FieldError("body", problem));
            }
        } else if (body != null && body.isContainerNode()) {
            walk(body, null, errors);
        }
        return errors;
    }

    /**
     * Where a node sits: its parent and its key, or its index in an array. Spelled out only when an error names
     * it, so that an accepted body (every attempt of a batch) costs no path text.
     */
    private record Step(Step parent, String key, int index) {

        String path() {
            StringBuilder path = new StringBuilder();
            append(path);
            return path.toString();
        }

        private void append(StringBuilder path) {
            if (parent != null) {
                parent.append(path);
            }
            if (key == null) {
                path.append('[').append(index).append(']');
            } else {
                path.append(path.isEmpty() ? "" : ".").append(Printable.of(key));
            }
        }
    }

    /** The items or fields of a container at {@code at} (null: the body itself). */
    private static void walk(JsonNode container, Step at, List<FieldError> errors) {
        if (container.isArray()) {
            for (int i = 0; i < container.size(); i++) {
                JsonNode item = container.get(i);
                if (item == null || item.isNull()) {
                    errors.add(new FieldError(new Step(at, null, i).path(), "must not be null"));
                } else {
                    visit(item, at, null, i, errors);
                }
            }
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = container.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            String problem = problem(key);
            if (problem != null) {
                errors.add(new FieldError(new Step(at, key, 0).path(), "(a field name) " + problem));
            } else {
                visit(field.getValue(), at, key, 0, errors);
            }
        }
    }

    private static void visit(JsonNode node, Step parent, String key, int index, List<FieldError> errors) {
        if (node.isTextual()) {
            String problem = problem(node.textValue());
            if (problem != null) {
                String path = new Step(parent, key, index).path();
                errors.add(new FieldError(path.isEmpty() ? "body" : path, problem));
            }
        } else if (node.isContainerNode()) {
            walk(node, new Step(parent, key, index), errors);
        }
    }
}
