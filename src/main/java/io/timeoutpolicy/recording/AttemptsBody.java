package io.timeoutpolicy.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.JsonErrors;
import io.timeoutpolicy.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of POST /attempts bound to requests: one attempt or an array of 1 to {@value #MAX_BATCH}. Every
 * attempt that does not bind is a field error under its index, so that {@link AttemptIntake} can answer them
 * all in one 400 with its own.
 */
record AttemptsBody(List<AttemptRequest> requests, List<String> prefixes, List<FieldError> errors) {

    static final int MAX_BATCH = 1000;

    static AttemptsBody parse(JsonNode body, ObjectMapper mapper) {
        if (body == null || body.isNull()) {
            throw ProblemException.badRequest("A JSON attempt or array of attempts is required");
        }
        AttemptsBody parsed = new AttemptsBody(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        if (!body.isArray()) {
            parsed.bind(body, "", mapper);
            return parsed;
        }
        if (body.isEmpty() || body.size() > MAX_BATCH) {
            throw ProblemException.invalidField("body", "must hold 1 to " + MAX_BATCH + " attempts");
        }
        for (int i = 0; i < body.size(); i++) {
            parsed.bind(body.get(i), "[" + i + "].", mapper);
        }
        return parsed;
    }

    /** How many attempts a body holds, as counted when it is refused. */
    static int attemptsIn(JsonNode body) {
        return body != null && body.isArray() ? Math.max(1, body.size()) : 1;
    }

    private void bind(JsonNode node, String prefix, ObjectMapper mapper) {
        if (node == null || node.isNull()) {
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix.replaceAll("\\.$", ""), "must be an attempt, not null"));
            return;
        }
        try {
            requests.add(mapper.treeToValue(node, AttemptRequest.class));
            prefixes.add(prefix);
        } catch (JsonMappingException e) {
            errors.add(JsonErrors.fieldError(e, prefix));
        } catch (JsonProcessingException e) {
            errors.add(new FieldError(prefix.isEmpty() ? "body" : prefix, "is not a valid attempt"));
        }
    }
}
