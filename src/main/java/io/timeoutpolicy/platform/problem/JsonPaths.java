package io.timeoutpolicy.platform.problem;

import com.fasterxml.jackson.databind.JsonMappingException.Reference;
import java.util.List;

/** The JSON path of a field named in a Jackson error, as our error lists name fields: {@code a.b[2].c}. */
final class JsonPaths {

    private JsonPaths() {
    }

    static String of(List<Reference> path) {
        StringBuilder field = new StringBuilder();
        for (Reference reference : path) {
            if (reference.getFieldName() != null) {
                if (!field.isEmpty()) {
                    field.append('.');
                }
                field.append(Printable.of(reference.getFieldName()));
            } else if (reference.getIndex() >= 0) {
                field.append('[').append(reference.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }
}
