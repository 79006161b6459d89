package io.timeoutpolicy.platform.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HTTP/1.1 over a plain socket, exactly as written: no header added (no Content-Type unless asked, no
 * Content-Length without a body), so that missing bodies and media types really are missing.
 */
final class HostileClient {

    private final URI root;

    HostileClient(URI root) {
        this.root = root;
    }

    record Answer(int status, List<String> headers, String body) {
        String contentType() {
            return header("content-type");
        }

        String header(String name) {
            return headers.stream().filter(h -> h.toLowerCase().startsWith(name.toLowerCase() + ":"))
                    .map(h -> h.substring(h.indexOf(':') + 1).trim()).findFirst().orElse("");
        }
    }

    /** {@code body} null: no body and no Content-Length; {@code contentType} null: no Content-Type. */
    Answer send(String method, String path, String key, String contentType, String body) throws IOException {
        return exchange(head(method, path, key, contentType)
                + (body == null ? "" : "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n")
                + "\r\n", body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }

    /** The first lines of a request, up to (without) the blank line. */
    static String head(String method, String path, String key, String contentType) {
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + (key == null ? "" : "X-API-Key: " + key + "\r\n")
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n");
    }

    Answer exchange(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException | java.net.SocketException ended) {
            // the answer is complete; the server kept or reset the connection
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    static Answer parse(String raw) {
        int end = raw.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalStateException("no answer: " + raw);
        }
        String[] lines = raw.substring(0, end).split("\r\n");
        List<String> headers = List.of(lines).subList(1, lines.length);
        String body = raw.substring(end + 4);
        if (headers.stream().anyMatch(h -> h.toLowerCase().startsWith("transfer-encoding: chunked"))) {
            body = dechunk(body);
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            // sizes are bytes; the answers here are ASCII JSON
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
