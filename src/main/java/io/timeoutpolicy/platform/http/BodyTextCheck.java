package io.timeoutpolicy.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.ProblemException;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.util.List;

/**
 * The one check of every request body, whatever the endpoint (SPEC 5): a body the resource would receive is
 * refused with 400 when it is empty or when any of its strings, keys or array items breaks {@link TextRules};
 * nothing of it reaches a resource, a buffer or the database. Runs after Jackson has bound the body, on the
 * tree of what was bound, so that field names are the wire's.
 */
@Provider
public class BodyTextCheck implements ReaderInterceptor {

    private final ObjectMapper mapper;

    BodyTextCheck(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body == null) {
            throw ProblemException.badRequest("The request has no body; send a JSON document");
        }
        JsonNode tree = body instanceof JsonNode node ? node : mapper.valueToTree(body);
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            throw ProblemException.badRequest("The request has no body; send a JSON document");
        }
        List<FieldError> errors = TextRules.check(tree);
        if (!errors.isEmpty()) {
            throw ProblemException.invalid("The request has " + errors.size() + " refused text field(s) or item(s);"
                    + " nothing was written", errors);
        }
        return body;
    }
}
