import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator of watches.sh (SPEC 10.4): holds N watches on one replica, each on its own connection, measures
 * the live heap they add (class histograms of the service, each after a full GC), promotes a candidate through the
 * API and times every watcher's answer from the moment the promotion is sent (after a warm-up that runs the same
 * path with 1 000 watchers). One thread and one selector for all
 * connections, so the client itself adds next to nothing to the times it measures. Run with the JDK's source
 * launcher: {@code java src/bench/Watchers.java PORT ENVIRONMENT WATCHERS SERVICE_PID OPERATOR_KEY OUT_DIR}.
 * Prints one line: {@code heap_added_mb p50_ms p99_ms max_ms answered_with_new_version watchers promote_ms cpu_ms}
 * (cpu_ms: the service's CPU time from the promotion to the last answer).
 */
public class Watchers {

    /** One held request: its connection, what it read, when its answer was complete. */
    static final class Watcher {
        final int index;
        final ByteArrayOutputStream read = new ByteArrayOutputStream(512);
        volatile long answeredAt;
        volatile int status;
        volatile String etag = "";
        volatile String body = "";

        Watcher(int index) {
            this.index = index;
        }
    }

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(10)).build();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String environment = args[1];
        int count = Integer.parseInt(args[2]);
        String pid = args[3];
        String key = args[4];
        Path out = Path.of(args[5]);
        String base = "http://127.0.0.1:" + port + "/api/v1/environments/" + environment;

        Loop loop = new Loop(port, environment);
        Thread thread = new Thread(loop, "watchers");
        thread.setDaemon(true);
        thread.start();

        // Warm-up: the whole watch path runs before the baseline (held, woken by a promotion and answered 200; held
        // until its wait ends and answered 304), so its classes and compiled code are in both histograms and the
        // measured wake pays less of the JIT (not all: 1 000 answers leave parts of the write path to C2, see
        // cpu-by-thread.txt; WARM_WATCHERS raises the count).
        int current = currentVersion(base);
        int candidate = putCandidate(base, key, current);
        int warmCount = Integer.parseInt(System.getenv().getOrDefault("WARM_WATCHERS", "1000"));
        List<Watcher> warm = loop.open(warmCount, current, 300, "warm-");
        awaitHeld(port, warmCount);
        promote(base, key, candidate);
        awaitAnswered(warm, 120);
        loop.closeAll();
        List<Watcher> waited = loop.open(200, candidate, 1, "warm-");
        awaitAnswered(waited, 60);
        loop.closeAll();
        current = candidate;
        // The candidate exists before the watches: creating a shadow candidate changes no served version.
        candidate = putCandidate(base, key, current);

        long before = liveBytes(pid, out.resolve("histogram-before.txt"));
        List<Watcher> watchers = loop.open(count, current, 300, "watcher-");
        awaitHeld(port, count);
        long after = liveBytes(pid, out.resolve("histogram-held.txt"));
        diff(out.resolve("histogram-before.txt"), out.resolve("histogram-held.txt"), out.resolve("histogram-added.txt"));
        for (Watcher watcher : watchers) {
            if (watcher.answeredAt != 0) {
                throw new IllegalStateException("watcher " + watcher.index + " answered before the promotion: "
                        + watcher.status);
            }
        }

        long cpuBefore = cpuMillis(pid);
        Map<String, Long> threadsBefore = threadCpuMillis(pid);
        long promoted = System.nanoTime();
        promote(base, key, candidate);
        long promoteMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - promoted);
        awaitAnswered(watchers, 120);
        long cpu = cpuMillis(pid) - cpuBefore;
        threadCpu(threadsBefore, threadCpuMillis(pid), out.resolve("cpu-by-thread.txt"));

        long[] micros = new long[watchers.size()];
        int good = 0;
        String tag = "W/\"" + candidate + "\"";
        for (int i = 0; i < micros.length; i++) {
            Watcher watcher = watchers.get(i);
            micros[i] = TimeUnit.NANOSECONDS.toMicros(watcher.answeredAt - promoted);
            if (watcher.status == 200 && watcher.etag.equals(tag)
                    && watcher.body.contains("\"policy_version\":" + candidate)) {
                good++;
            }
        }
        loop.closeAll();
        Arrays.sort(micros);
        System.out.printf("%.1f %.1f %.1f %.1f %d %d %d %d%n", (after - before) / 1e6, percentile(micros, 0.50) / 1e3,
                percentile(micros, 0.99) / 1e3, micros[micros.length - 1] / 1e3, good, count, promoteMillis, cpu);
    }

    static int currentVersion(String base) throws Exception {
        HttpResponse<String> policy = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/policy")).build(),
                HttpResponse.BodyHandlers.ofString());
        return version(policy.headers().firstValue("ETag").orElseThrow());
    }

    /** A shadow candidate: the current document as it is, so the next version; its version. */
    static int putCandidate(String base, String key, int current) throws Exception {
        String document = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/policy")).build(),
                HttpResponse.BodyHandlers.ofString()).body().trim();
        document = document.substring(0, document.length() - 1) + ",\"rollout\":{\"mode\":\"shadow\"}}";
        HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/policy/candidate"))
                .header("X-API-Key", key).header("If-Match", "\"" + current + "\"")
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(document)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (put.statusCode() != 201) {
            throw new IllegalStateException("PUT candidate: " + put.statusCode() + " " + put.body());
        }
        return version(put.headers().firstValue("ETag").orElseThrow());
    }

    static void promote(String base, String key, int candidate) throws Exception {
        HttpResponse<String> promote = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/policy/candidate/promote"))
                .header("X-API-Key", key).header("If-Match", "\"" + candidate + "\"")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (promote.statusCode() != 200) {
            throw new IllegalStateException("promote: " + promote.statusCode() + " " + promote.body());
        }
    }

    static void awaitHeld(int port, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (held(port) < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + held(port) + " of " + count + " watches held");
            }
            Thread.sleep(200);
        }
    }

    /**
     * CPU time the service has used (user + system, all threads), from /proc: what answering the watchers costs
     * whatever the machine's load, where the wall-clock times depend on the share of the CPU the service gets.
     */
    static long cpuMillis(String pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", pid, "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
        return ticks * 10; // USER_HZ is 100 on Linux
    }

    /** CPU time (ms) by thread name (threads of one name, e.g. the GC's workers, added up), from /proc. */
    static Map<String, Long> threadCpuMillis(String pid) throws IOException {
        Map<String, Long> byName = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", pid, "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    byName.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10, Long::sum);
                } catch (IOException gone) {
                    // a thread that ended meanwhile
                }
            }
        }
        return byName;
    }

    /** Where the service's CPU went from the promotion to the last answer, most first (cpu-by-thread.txt). */
    static void threadCpu(Map<String, Long> before, Map<String, Long> after, Path file) throws IOException {
        try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(file))) {
            after.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0).sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> writer.println(e.getValue() + " ms " + e.getKey()));
        }
    }

    static long percentile(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    static int version(String etag) {
        Matcher matcher = Pattern.compile("(\\d+)").matcher(etag);
        if (!matcher.find()) {
            throw new IllegalStateException("no version in ETag " + etag);
        }
        return Integer.parseInt(matcher.group(1));
    }

    static void awaitAnswered(List<Watcher> watchers, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (Watcher watcher : watchers) {
            while (watcher.answeredAt == 0) {
                if (System.nanoTime() > deadline) {
                    long answered = watchers.stream().filter(w -> w.answeredAt != 0).count();
                    throw new IllegalStateException(answered + " of " + watchers.size() + " answered in " + seconds + " s");
                }
                Thread.sleep(5);
            }
        }
    }

    /** The service's held watches, from its metrics. */
    static int held(int port) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher matcher = Pattern.compile("(?m)^timeout_policy_watches_held(?:\\{[^}]*\\})? ([0-9.eE+]+)").matcher(metrics);
        return matcher.find() ? (int) Double.parseDouble(matcher.group(1)) : -1;
    }

    /** Bytes of live objects in the service: its class histogram, which runs a full GC first; kept in {@code file}. */
    static long liveBytes(String pid, Path file) throws Exception {
        Process jcmd = new ProcessBuilder("jcmd", pid, "GC.class_histogram").redirectErrorStream(true)
                .redirectOutput(file.toFile()).start();
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd failed: " + Files.readString(file));
        }
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("Total")) {
                return Long.parseLong(line.trim().split("\\s+")[2]);
            }
        }
        throw new IllegalStateException("no total in " + file);
    }

    /** The classes whose live bytes grew most between two histograms, with bytes per watch. */
    static void diff(Path before, Path after, Path out) throws IOException {
        Map<String, long[]> first = histogram(before);
        Map<String, long[]> second = histogram(after);
        List<Map.Entry<String, long[]>> grown = new ArrayList<>();
        second.forEach((name, counts) -> {
            long[] old = first.getOrDefault(name, new long[2]);
            grown.add(Map.entry(name, new long[] {counts[0] - old[0], counts[1] - old[1]}));
        });
        grown.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(out))) {
            writer.printf("%12s %12s  %s%n", "instances", "bytes", "class (added while the watches are held)");
            grown.stream().limit(60).forEach(e -> writer.printf("%12d %12d  %s%n", e.getValue()[0], e.getValue()[1], e.getKey()));
        }
    }

    static Map<String, long[]> histogram(Path file) throws IOException {
        Map<String, long[]> classes = new HashMap<>();
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        for (String line : Files.readAllLines(file)) {
            Matcher matcher = row.matcher(line);
            if (matcher.find()) {
                classes.merge(matcher.group(3), new long[] {Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return classes;
    }

    /** The selector thread: connects, writes each request, reads each answer and stamps it when complete. */
    static final class Loop implements Runnable {
        private final Selector selector;
        private final InetSocketAddress address;
        private final String environment;
        private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
        private final AtomicInteger connecting = new AtomicInteger();

        Loop(int port, String environment) throws IOException {
            this.selector = Selector.open();
            this.address = new InetSocketAddress("127.0.0.1", port);
            this.environment = environment;
        }

        /** Opens {@code count} watches, at most 500 connecting at a time (the listen backlog stays small). */
        List<Watcher> open(int count, int version, int wait, String prefix) throws InterruptedException {
            List<Watcher> watchers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                Watcher watcher = new Watcher(i);
                watchers.add(watcher);
                while (connecting.get() >= 500) {
                    Thread.sleep(1);
                }
                connecting.incrementAndGet();
                String request = "GET /api/v1/environments/" + environment + "/startup-config HTTP/1.1\r\n"
                        + "Host: " + address.getHostString() + ":" + address.getPort() + "\r\n"
                        + "If-None-Match: W/\"" + version + "\"\r\nPrefer: wait=" + wait + "\r\n"
                        + "X-Timeout-Policy-Instance: " + prefix + i + "\r\n\r\n";
                tasks.add(() -> connect(watcher, ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII))));
                selector.wakeup();
            }
            while (connecting.get() > 0) {
                Thread.sleep(5);
            }
            return watchers;
        }

        void closeAll() throws InterruptedException {
            AtomicInteger done = new AtomicInteger();
            tasks.add(() -> {
                for (SelectionKey key : selector.keys()) {
                    try {
                        key.channel().close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
                done.set(1);
            });
            selector.wakeup();
            while (done.get() == 0) {
                Thread.sleep(5);
            }
        }

        private void connect(Watcher watcher, ByteBuffer request) {
            try {
                SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.connect(address);
                channel.register(selector, SelectionKey.OP_CONNECT, new Object[] {watcher, request});
            } catch (IOException e) {
                throw new IllegalStateException("connect " + watcher.index, e);
            }
        }

        @Override
        public void run() {
            ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
            byte[] bytes = new byte[64 * 1024];
            try {
                while (true) {
                    selector.select();
                    for (Runnable task; (task = tasks.poll()) != null; ) {
                        task.run();
                    }
                    var selected = selector.selectedKeys().iterator();
                    while (selected.hasNext()) {
                        SelectionKey key = selected.next();
                        selected.remove();
                        if (!key.isValid()) {
                            continue;
                        }
                        Object[] state = (Object[]) key.attachment();
                        Watcher watcher = (Watcher) state[0];
                        SocketChannel channel = (SocketChannel) key.channel();
                        if (key.isConnectable()) {
                            channel.finishConnect();
                            ByteBuffer request = (ByteBuffer) state[1];
                            channel.write(request);
                            if (request.hasRemaining()) {
                                throw new IllegalStateException("request not written at once");
                            }
                            connecting.decrementAndGet();
                            key.interestOps(SelectionKey.OP_READ);
                        } else if (key.isReadable()) {
                            buffer.clear();
                            int n = channel.read(buffer);
                            if (n < 0) {
                                key.cancel();
                                channel.close();
                                if (watcher.answeredAt == 0) {
                                    watcher.status = -1;
                                    watcher.answeredAt = System.nanoTime();
                                }
                                continue;
                            }
                            buffer.flip();
                            buffer.get(bytes, 0, n);
                            watcher.read.write(bytes, 0, n);
                            complete(watcher, System.nanoTime());
                        }
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Stamps a watcher once its whole answer is read (Content-Length or chunked). */
        private static void complete(Watcher watcher, long readAt) {
            if (watcher.answeredAt != 0) {
                return;
            }
            String text = watcher.read.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                return;
            }
            String head = text.substring(0, end);
            String body = text.substring(end + 4);
            Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
            boolean whole;
            if (length.find()) {
                whole = body.length() >= Integer.parseInt(length.group(1));
            } else if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                whole = body.endsWith("0\r\n\r\n");
            } else {
                whole = true;
            }
            if (!whole) {
                return;
            }
            Matcher etag = Pattern.compile("(?im)^etag:\\s*(\\S+)").matcher(head);
            watcher.etag = etag.find() ? etag.group(1) : "";
            watcher.body = body;
            watcher.status = Integer.parseInt(head.substring(9, 12));
            watcher.answeredAt = readAt;
        }
    }
}
