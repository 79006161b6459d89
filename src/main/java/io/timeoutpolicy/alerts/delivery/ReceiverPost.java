package io.timeoutpolicy.alerts.delivery;

import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * Posts to one receiver through a fault-tolerance guard of its own: a timeout on every POST, and a circuit
 * breaker that fails at once, without a connection, while the receiver keeps failing.
 */
final class ReceiverPost implements ReceiverQueue.Sender {

    /** Anything but a 2xx, so that the breaker and the retries count it. */
    static final class Refused extends RuntimeException {
        Refused(int status) {
            super("answered " + status, null, false, false);
        }
    }

    private final Receiver receiver;
    private final HttpClient client;
    private final TypedGuard<Uni<Void>> guard;

    ReceiverPost(Receiver receiver, DeliverySettings settings, Vertx vertx) {
        this.receiver = receiver;
        int timeout = (int) settings.timeout().toMillis();
        // A POST the guard gave up on is closed by the idle timeout, so a hanging receiver holds no connection.
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeout)
                .setIdleTimeout(timeout).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxPoolSize(2));
        DeliverySettings.CircuitBreaker breaker = settings.circuitBreaker();
        this.guard = TypedGuard.create(new TypeLiteral<Uni<Void>>() { })
                .withDescription("alert receiver " + receiver.name())
                .withTimeout().duration(timeout, ChronoUnit.MILLIS).done()
                .withCircuitBreaker().name("alert-receiver-" + receiver.name())
                .requestVolumeThreshold(breaker.requestVolumeThreshold()).failureRatio(breaker.failureRatio())
                .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS).done()
                .build();
    }

    @Override
    public Uni<Void> send(Outgoing outgoing) {
        return guard.get(() -> Uni.createFrom().completionStage(() -> post(outgoing).toCompletionStage()));
    }

    @Override
    public void close() {
        client.close();
    }

    private Future<Void> post(Outgoing outgoing) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST)
                .setAbsoluteURI(receiver.url().toString());
        outgoing.headers().forEach(request::putHeader);
        return client.request(request)
                .compose(sent -> sent.send(Buffer.buffer(outgoing.body())))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .compose(status -> status / 100 == 2 ? Future.<Void>succeededFuture()
                        : Future.failedFuture(new Refused(status)));
    }
}
