package dev.cancelable.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cancelable.Cancelable;
import dev.cancelable.CancellationReason;
import dev.cancelable.OperationStatus;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.internal.Timers;
import dev.cancelable.registry.OperationFilter;
import dev.cancelable.registry.OperationListener;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What goes wrong on real sockets: stubborn handlers, vanished clients, a thousand cancels at once. */
class FaultsTest {
    private static final MethodDescriptor<String, String> STUBBORN = method("Stubborn");
    private static final MethodDescriptor<String, String> BLOCK = method("Block");
    private static final MethodDescriptor<String, String> WAIT = method("Wait");

    private final OperationRegistry registry = new OperationRegistry(5000, java.time.Clock.systemUTC(), 0);
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch blockStarted = new CountDownLatch(1);
    private final CountDownLatch stubbornStarted = new CountDownLatch(1);
    private final AtomicInteger waitersStarted = new AtomicInteger();
    private final AtomicInteger waitersCanceled = new AtomicInteger();
    private final List<ManagedChannel> channels = new ArrayList<>();
    private Map<String, Long> threadsBefore;
    private Server server;

    private static MethodDescriptor<String, String> method(String name) {
        return Chain.CALL.toBuilder().setFullMethodName("demo.Faults/" + name).build();
    }

    @BeforeEach
    void start() throws Exception {
        threadsBefore = threadsByPrefix();
        ServerServiceDefinition service = ServerServiceDefinition.builder("demo.Faults")
                .addMethod(STUBBORN, ServerCalls.asyncUnaryCall((request, response) -> {
                    stubbornStarted.countDown();
                    boolean done = false;
                    while (!done) {
                        try {
                            release.await();                  // ignores every interrupt until released
                            done = true;
                        } catch (InterruptedException ignored) {
                            // carry on regardless
                        }
                    }
                    response.onNext("finally");
                    response.onCompleted();
                }))
                .addMethod(BLOCK, ServerCalls.asyncUnaryCall((request, response) -> {
                    blockStarted.countDown();
                    try {
                        release.await();
                        response.onNext("released");
                        response.onCompleted();
                    } catch (InterruptedException e) {
                        response.onError(Status.CANCELLED.asRuntimeException());
                    }
                }))
                .addMethod(WAIT, ServerCalls.asyncUnaryCall((request, response) -> {
                    // Returns at once; the call stays open until its operation is canceled.
                    Cancelables.requireCurrent().onCancelRequested(e -> waitersCanceled.incrementAndGet());
                    waitersStarted.incrementAndGet();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(service, new CancelableServerInterceptor(registry)))
                .build().start();
    }

    private ManagedChannel channel() {
        ManagedChannel channel = NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort()))
                .usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        assertEquals(0, registry.getActiveCount(), "operations left in the registry");
        assertEquals(0, Timers.INSTANCE.getPendingSharedTimers(), "timers left armed");
        // gRPC releases its shared event loops and executors a moment after the last user goes.
        boolean released = Polling.until(20, () -> noMoreThan(threadsByPrefix(), threadsBefore));
        assertTrue(released, "threads leaked: before " + threadsBefore + ", after " + threadsByPrefix());
    }

    private static boolean noMoreThan(Map<String, Long> after, Map<String, Long> before) {
        return after.entrySet().stream().allMatch(e -> e.getValue() <= before.getOrDefault(e.getKey(), 0L));
    }

    /** Live threads of gRPC, Netty and this library, by name up to the first digit. */
    private static Map<String, Long> threadsByPrefix() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("grpc-") || name.startsWith("cancelable-async"))
                .map(name -> name.replaceAll("[0-9].*$", ""))
                .collect(Collectors.groupingBy(name -> name, Collectors.counting()));
    }

    private OperationSnapshot awaitFinished(String methodName) throws Exception {
        CompletableFuture<OperationSnapshot> finished = new CompletableFuture<>();
        try (AutoCloseable ignored = registry.addListener(new OperationListener() {
            @Override
            public void onFinished(OperationSnapshot snapshot) {
                if (snapshot.getName().equals(methodName)) {
                    finished.complete(snapshot);
                }
            }
        })) {
            registry.history(new OperationFilter().namePattern(methodName)).stream().findFirst().ifPresent(finished::complete);
            return finished.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @DisplayName("a handler that ignores cancels: its operation is canceled at once, the client is answered at once, and it ends CANCELED when the handler gives up [scenario 155]")
    void handlerIgnoringCancels() throws Exception {
        ClientCall<String, String> call = channel().newCall(STUBBORN, CallOptions.DEFAULT);
        CompletableFuture<String> reply = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(call, "x", new FutureObserver(reply));
        assertTrue(stubbornStarted.await(10, TimeUnit.SECONDS));
        Cancelable op = registry.get(registry.list().get(0).getId());
        call.cancel("client gives up", null);

        Status status = Status.fromThrowable(reply.handle((v, e) -> e).get(10, TimeUnit.SECONDS));
        assertEquals(Status.Code.CANCELLED, status.getCode());
        assertTrue(Polling.until(10, op::isCanceled), "canceled while the handler still runs");
        assertEquals(CancellationReason.PARENT, op.getCancelReason());
        assertEquals(OperationStatus.RUNNING, op.getStatus(), "the handler has not returned yet");

        release.countDown();
        OperationSnapshot done = awaitFinished(STUBBORN.getFullMethodName());
        assertEquals(OperationStatus.CANCELED, done.getStatus());
        assertEquals(CancellationReason.PARENT, done.getCancelReason());
    }

    @Test
    @DisplayName("a client that disappears (its channel shut down now) cancels the server operation with PARENT [scenario 156]")
    void clientDisappears() throws Exception {
        ManagedChannel channel = channel();
        CompletableFuture<String> reply = new CompletableFuture<>();
        ClientCalls.asyncUnaryCall(channel.newCall(BLOCK, CallOptions.DEFAULT), "x", new FutureObserver(reply));
        assertTrue(blockStarted.await(10, TimeUnit.SECONDS));
        channel.shutdownNow();

        OperationSnapshot done = awaitFinished(BLOCK.getFullMethodName());
        assertEquals(OperationStatus.CANCELED, done.getStatus());
        assertEquals(CancellationReason.PARENT, done.getCancelReason());
        assertTrue(done.getCancelMessage().startsWith("gRPC client canceled the call"), done.getCancelMessage());
        assertFalse(reply.handle((v, e) -> e == null).get(10, TimeUnit.SECONDS));
    }

    @Test
    @DisplayName("1,000 concurrent calls canceled at once through the registry all end CANCELED, answered CANCELLED, nothing left behind [scenario 157]")
    void aThousandCallsCanceledAtOnce() throws Exception {
        ManagedChannel channel = channel();
        int calls = 1000;
        List<CompletableFuture<String>> replies = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            replies.add(reply);
            ClientCalls.asyncUnaryCall(channel.newCall(WAIT, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS)), "x", new FutureObserver(reply));
        }
        assertTrue(Polling.until(30, () -> waitersStarted.get() == calls), waitersStarted + " started");
        assertEquals(calls, registry.getActiveCount());
        assertTrue(Timers.INSTANCE.getPendingSharedTimers() >= calls, "each call's deadline armed a timer");

        int canceled = registry.cancelAll(new OperationFilter().namePattern(WAIT.getFullMethodName()), CancellationReason.MANUAL, "drain");
        assertEquals(calls, canceled);

        for (CompletableFuture<String> reply : replies) {
            Status status = Status.fromThrowable(reply.handle((v, e) -> e).get(30, TimeUnit.SECONDS));
            assertEquals(Status.Code.CANCELLED, status.getCode());
            assertTrue(status.getDescription().endsWith("canceled (manual): drain"), status.getDescription());
        }
        assertEquals(calls, waitersCanceled.get());
        List<OperationSnapshot> history = registry.history(new OperationFilter().namePattern(WAIT.getFullMethodName()));
        assertEquals(calls, history.size());
        assertTrue(history.stream().allMatch(op -> op.getStatus() == OperationStatus.CANCELED && op.getCancelReason() == CancellationReason.MANUAL));
        assertEquals(0, registry.getActiveCount());
        assertEquals(0, Timers.INSTANCE.getPendingSharedTimers());
    }

    /** Completes a future with a unary call's reply or failure. */
    private static final class FutureObserver implements io.grpc.stub.StreamObserver<String> {
        private final CompletableFuture<String> future;

        FutureObserver(CompletableFuture<String> future) {
            this.future = future;
        }

        @Override
        public void onNext(String value) {
            future.complete(value);
        }

        @Override
        public void onError(Throwable t) {
            future.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            future.complete(null);
        }
    }
}
