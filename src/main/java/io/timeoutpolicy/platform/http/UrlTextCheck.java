package io.timeoutpolicy.platform.http;

import io.timeoutpolicy.platform.problem.FieldError;
import io.timeoutpolicy.platform.problem.ProblemException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The URL half of the one text check (SPEC 5): a path segment or query parameter that decodes to text
 * {@link TextRules} refuses (a {@code %00}, any control character, or a malformed escape) is a 400 problem before
 * any route sees it, so that no filter built from the URL ever reaches the database. Also marks every answer
 * {@code X-Content-Type-Options: nosniff}: browsers must take a JSON or problem answer for what it says it is.
 */
@ApplicationScoped
public class UrlTextCheck {

    private final ProblemWriter problems;

    UrlTextCheck(ProblemWriter problems) {
        this.problems = problems;
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(this::check);
    }

    private void check(RoutingContext context) {
        context.response().putHeader("X-Content-Type-Options", "nosniff");
        List<FieldError> errors = problems(context.request().path(), context.request().query());
        if (errors.isEmpty()) {
            context.next();
            return;
        }
        problems.refuse(context, ProblemException.invalid("The URL has " + errors.size()
                + " refused parameter(s); nothing was read or written", errors).toProblem(context.request().path()));
    }

    /** The refused parts of a raw (still percent-encoded) path and query. */
    static List<FieldError> problems(String path, String query) {
        if (plain(path) && plain(query)) {
            return List.of();
        }
        List<FieldError> errors = new ArrayList<>();
        String decodedPath = decode(path == null ? "" : path.replace("+", "%2B"));
        String pathProblem = decodedPath == null ? "has a malformed percent-escape" : TextRules.problem(decodedPath);
        if (pathProblem != null) {
            errors.add(new FieldError("path", pathProblem));
        }
        if (query == null || query.isEmpty()) {
            return errors;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            String field = name == null || TextRules.problem(name) != null ? "query" : name;
            String problem = name == null || value == null ? "has a malformed percent-escape"
                    : TextRules.problem(name) != null ? "(a parameter name) " + TextRules.problem(name)
                    : TextRules.problem(value);
            if (problem != null) {
                errors.add(new FieldError(field, problem));
            }
        }
        return errors;
    }

    /**
     * The common case, decided without decoding or allocating: printable ASCII without escapes, short enough.
     * A '+' is a space in a query and fine as it is.
     */
    private static boolean plain(String raw) {
        if (raw == null) {
            return true;
        }
        if (raw.length() > TextRules.MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '%') {
                return false;
            }
        }
        return true;
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

}
