package io.timeoutpolicy.client.live;

import io.timeoutpolicy.client.ServiceJar;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The service's rollout API as an operator uses it (SPEC 10.2): candidate PUT, promote, abort, with If-Match. */
public final class Rollout {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Rollout() {
    }

    /**
     * The environment's current document (GET …/policy) with these base timeouts (seconds), without its closing
     * brace: the caller appends a rollout.
     */
    public static String policy(String environment, double connection, double pool, double healthCheck)
            throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var document = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                ServiceJar.get().get("/api/v1/environments/" + environment + "/policy").body());
        document.remove(java.util.List.of("environment", "version", "updated_at", "updated_by", "status",
                "status_reason", "status_changed_at", "status_changed_by", "rollout", "score"));
        var base = (com.fasterxml.jackson.databind.node.ObjectNode) document.get("base_timeouts");
        base.put("connection_timeout", connection).put("pool_timeout", pool).put("health_check_timeout", healthCheck);
        String text = json.writeValueAsString(document);
        return text.substring(0, text.lastIndexOf('}'));
    }

    /** PUT …/policy/candidate with {@code rollout} (JSON) after the document; answers the candidate's version. */
    public static int candidate(String environment, int ifMatch, String policy, String rollout) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(environment, "/policy/candidate"))
                .header("Content-Type", "application/json").header("If-Match", "\"" + ifMatch + "\"")
                .PUT(HttpRequest.BodyPublishers.ofString(policy + ", \"rollout\": " + rollout + "}")));
        if (answer.statusCode() != 201) {
            throw new IllegalStateException("PUT candidate: " + answer.statusCode() + " " + answer.body());
        }
        return Integer.parseInt(answer.headers().firstValue("ETag").orElseThrow().replaceAll("[^0-9]", ""));
    }

    /** POST …/policy/candidate/promote; answers once the service has answered 200. */
    public static void promote(String environment, int candidate) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(environment, "/policy/candidate/promote"))
                .header("If-Match", "\"" + candidate + "\"").POST(HttpRequest.BodyPublishers.noBody()));
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("promote: " + answer.statusCode() + " " + answer.body());
        }
    }

    /** DELETE …/policy/candidate (abort). */
    public static void abort(String environment, int candidate) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(environment, "/policy/candidate"))
                .header("If-Match", "\"" + candidate + "\"").DELETE());
        if (answer.statusCode() != 204) {
            throw new IllegalStateException("abort: " + answer.statusCode() + " " + answer.body());
        }
    }

    private static URI uri(String environment, String path) throws Exception {
        return URI.create(ServiceJar.get().url + "/api/v1/environments/" + environment + path);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(10)).header("X-API-Key", ServiceJar.KEY).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
