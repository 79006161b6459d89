package io.timeoutpolicy.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP exchanges with a total deadline: connect, send, headers and body together, whatever the server does. The
 * JDK's request timeout stops at the headers (a server that drips its body one byte a second never trips it), so
 * the caller waits on the asynchronous exchange until the deadline and cancels it then.
 */
final class BudgetedHttp {

    static final String USER_AGENT = "timeout-policy-java/0.1.0";
    private static final String PROBLEM = "application/problem+json";

    private final HttpClient http;
    private final ObjectMapper json;
    private final String apiKey;

    BudgetedHttp(Duration connectTimeout, ObjectMapper json, String apiKey) {
        // A daemon executor: a request left to end on its own never keeps the JVM alive.
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .executor(java.util.concurrent.Executors.newCachedThreadPool(BudgetedHttp::daemon)).build();
        this.json = json;
        this.apiKey = apiKey;
    }

    /** An answer: its status, content type and body. */
    record Response(int status, String contentType, String body) {
    }

    /** Failed to get any answer before the deadline (or at all); the message is short and readable. */
    static final class NoAnswer extends Exception {
        NoAnswer(String message) {
            super(message);
        }
    }

    Response get(URI target, long deadlineNanos) throws NoAnswer {
        return exchange(request(target, deadlineNanos).GET(), deadlineNanos);
    }

    /** A GET with {@code headers} added (the instance, a watch's If-None-Match and Prefer). */
    Response get(URI target, java.util.Map<String, String> headers, long deadlineNanos) throws NoAnswer {
        HttpRequest.Builder builder = request(target, deadlineNanos).GET();
        headers.forEach(builder::header);
        return exchange(builder, deadlineNanos);
    }

    Response post(URI target, Object body, long deadlineNanos) throws NoAnswer {
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot encode the body: " + e.getMessage(), e);
        }
        return exchange(request(target, deadlineNanos).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)), deadlineNanos);
    }

    /** The parsed body, or null when it is not JSON. */
    JsonNode parse(Response response) {
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            return null;
        }
    }

    /** The {@code type} of a problem answer (RFC 9457), else null. */
    String problemType(Response response) {
        if (response.contentType() == null || !response.contentType().startsWith(PROBLEM)) {
            return null;
        }
        JsonNode node = parse(response);
        return node != null && node.path("type").isTextual() ? node.get("type").asText() : null;
    }

    /** The {@code detail} of a problem answer, else the start of the body. */
    String problem(Response response) {
        JsonNode node = parse(response);
        if (node != null && node.path("detail").isTextual()) {
            return node.get("detail").asText();
        }
        String body = response.body() == null ? "" : response.body();
        return body.substring(0, Math.min(200, body.length()));
    }

    private HttpRequest.Builder request(URI target, long deadlineNanos) throws NoAnswer {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(left(deadlineNanos))
                .header("Accept", "application/json").header("User-Agent", USER_AGENT);
        if (apiKey != null) {
            builder.header("Authorization", "Bearer " + apiKey);
        }
        return builder;
    }

    private Response exchange(HttpRequest.Builder request, long deadlineNanos) throws NoAnswer {
        CompletableFuture<HttpResponse<String>> future =
                http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
        try {
            HttpResponse<String> response = future.get(left(deadlineNanos).toNanos(), TimeUnit.NANOSECONDS);
            Optional<String> type = response.headers().firstValue("Content-Type");
            return new Response(response.statusCode(), type.orElse(null), response.body());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new NoAnswer("no answer within the budget");
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new NoAnswer("interrupted");
        } catch (ExecutionException e) {
            throw new NoAnswer(describe(e.getCause()));
        }
    }

    static String describe(Throwable error) {
        if (error instanceof HttpTimeoutException) {
            return "no answer within the budget";
        }
        if (error instanceof ConnectException) {
            return "connection refused";
        }
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Duration left(long deadlineNanos) throws NoAnswer {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new NoAnswer("no answer within the budget");
        }
        return Duration.ofNanos(left);
    }

    private static Thread daemon(Runnable task) {
        Thread thread = new Thread(task, "timeout-policy-http");
        thread.setDaemon(true);
        return thread;
    }
}
