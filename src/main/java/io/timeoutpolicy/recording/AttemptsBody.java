package io.timeoutpolicy.recording;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.JsonErrors;
import io.timeoutpolicy.platform.problem.ProblemException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The body of POST /attempts bound to requests: one attempt or an array of 1 to {@value #MAX_BATCH}. Every
 * attempt that does not bind is a field error under its index, so that {@link AttemptIntake} can answer them
 * all in one 400 with its own.
 */
record AttemptsBody(List<AttemptRequest> requests, List<String> prefixes, List<FieldError> errors) {

    static final int MAX_BATCH = 1000;
    /** "[0].", "[1].", ...: the path prefix of each attempt of an array, made once. */
    private static final List<String> PREFIXES = IntStream.range(0, MAX_BATCH).mapToObj(i -> "[" + i + "].").toList();

    static AttemptsBody parse(JsonNode body, ObjectMapper mapper) {
        if (body == null || body.isNull()) {
            throw ProblemException.badRequest("A JSON attempt or array of attempts is required");
        }
        if (!body.isArray()) {
            AttemptsBody parsed = new AttemptsBody(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            parsed.bind(body, "", mapper);
            return parsed;
        }
        if (body.isEmpty() || body.size() > MAX_BATCH) {
            throw ProblemException.invalidField("body", "must hold 1 to " + MAX_BATCH + " attempts");
        }
        AttemptsBody whole = bindWhole(body, mapper);
        if (whole != null) {
            return whole;
        }
        // Some attempt does not bind: each is bound on its own, so that the 400 names every one that fails.
        AttemptsBody parsed = new AttemptsBody(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < body.size(); i++) {
            parsed.bind(body.get(i), PREFIXES.get(i), mapper);
        }
        return parsed;
    }

    /**
     * The whole array bound in one pass (one parser and one context for the batch, not one per attempt), or null
     * when any attempt fails to bind or is null.
     */
    private static AttemptsBody bindWhole(JsonNode body, ObjectMapper mapper) {
        AttemptRequest[] requests;
        try {
            requests = mapper.treeToValue(body, AttemptRequest[].class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
        if (requests == null || requests.length != body.size()) {
            return null;
        }
        for (AttemptRequest request : requests) {
            if (request == null) {
                return null;
            }
        }
        return new AttemptsBody(Arrays.asList(requests), PREFIXES.subList(0, requests.length), List.of());
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
