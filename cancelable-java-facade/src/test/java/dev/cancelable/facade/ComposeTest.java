package dev.cancelable.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cancelable.CanceledByTimeoutException;
import dev.cancelable.CanceledManuallyException;
import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationStatus;
import dev.cancelable.registry.OperationRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Operation#compose}: an operation around a stage from an asynchronous API, canceling it with the operation. */
@Timeout(20)
class ComposeTest {
    private final OperationRegistry registry = new OperationRegistry();
    private final CountDownLatch ended = new CountDownLatch(1);

    @AfterEach
    void nothingLeaks() throws InterruptedException {
        assertTrue(ended.await(10, TimeUnit.SECONDS), "the run ended");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.getActiveCount() != 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(0, registry.getActiveCount());
    }

    private OperationBuilder op(String name) {
        return Cancelables.operation(name).registry(registry)
                .onCompleted(c -> ended.countDown()).onCanceled(c -> ended.countDown()).onFailed((c, e) -> ended.countDown());
    }

    @Test
    void theStagesValueCompletesTheFuture() throws Exception {
        AtomicReference<CancelableContext> seen = new AtomicReference<>();
        CompletableFuture<String> f = op("ready").build().compose(ctx -> {
            seen.set(ctx);
            ctx.reportProgress("sent");
            return CompletableFuture.completedFuture("pong");
        });
        assertEquals("pong", f.get(10, TimeUnit.SECONDS));
        ended.await(10, TimeUnit.SECONDS);
        assertEquals(OperationStatus.COMPLETED, seen.get().getStatus());
    }

    @Test
    void aTimeoutCancelsTheWrappedStage() throws Exception {
        CompletableFuture<String> inner = new CompletableFuture<>();
        CompletableFuture<String> f = op("slow").timeout(Duration.ofMillis(50)).build().compose(ctx -> inner);
        CanceledByTimeoutException e = assertThrows(CanceledByTimeoutException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(f.isCancelled());
        assertTrue(inner.isCancelled(), "the stage was canceled with the operation");
        assertEquals(OperationStatus.CANCELED, e.getSnapshot().getStatus());
    }

    @Test
    void cancelingTheFutureCancelsTheWrappedStage() throws Exception {
        CompletableFuture<String> inner = new CompletableFuture<>();
        CompletableFuture<String> f = op("abandoned").build().compose(ctx -> inner);
        assertTrue(f.cancel(true));
        CanceledManuallyException e = assertThrows(CanceledManuallyException.class, f::join);
        assertEquals(CancellationReason.MANUAL, e.getReason());
        assertTrue(ended.await(10, TimeUnit.SECONDS));
        assertTrue(inner.isCancelled());
    }

    @Test
    void aTokenCancelsTheWrappedStage() throws Exception {
        CancellationToken token = new CancellationToken();
        CompletableFuture<String> inner = new CompletableFuture<>();
        CompletableFuture<String> f = op("watched").token(token).build().compose(ctx -> inner);
        token.cancel(CancellationReason.MANUAL, "user left");
        CanceledManuallyException e = assertThrows(CanceledManuallyException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertEquals("user left", e.getMessage());
        assertTrue(inner.isCancelled());
    }

    @Test
    void theStagesFailureIsPassedOnUnwrapped() throws Exception {
        IOException failure = new IOException("reset by peer");
        CompletableFuture<String> inner = new CompletableFuture<>();
        CompletableFuture<String> f = op("broken").build().compose(ctx -> inner.thenApply(s -> s));
        inner.completeExceptionally(failure);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertSame(failure, e.getCause());
        assertTrue(ended.await(10, TimeUnit.SECONDS));
        assertEquals(OperationStatus.FAILED, registry.history().get(0).getStatus());
    }

    @Test
    void aTaskThatReturnsNoStageFailsClearly() {
        CompletableFuture<String> f = op("nothing").build().compose(ctx -> null);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertInstanceOf(NullPointerException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("CompletionStage"));
    }

    @Test
    void aTimeoutCancelsAnHttpClientRequestThatNeverAnswers() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/slow", exchange -> {
            try {
                release.await(20, TimeUnit.SECONDS); // never answers while the test runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
        try {
            HttpClient client = HttpClient.newHttpClient();
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/slow");
            CompletableFuture<HttpResponse<String>> f = op("http").timeout(Duration.ofMillis(200)).build()
                    .compose(ctx -> client.sendAsync(HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofString()));
            CanceledByTimeoutException e = assertThrows(CanceledByTimeoutException.class, () -> f.get(10, TimeUnit.SECONDS));
            assertEquals(CancellationReason.TIMEOUT, e.getReason());
        } finally {
            release.countDown();
            server.stop(0);
        }
    }
}
