package dev.cancelable.grpc;

import dev.cancelable.facade.CancelableContext;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.registry.OperationListener;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Three servers in a row, A -> B -> C, each with its own registry and both interceptors, on Netty
 * (loopback, ephemeral ports) or the in-process transport. A and B pass the request on with a
 * blocking stub; C blocks until released or interrupted by its operation's cancel. Each hop records
 * what its handler saw.
 */
final class Chain implements AutoCloseable {
    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    static final MethodDescriptor<String, String> CALL = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("demo.Chain/Call")
            .setRequestMarshaller(UTF8)
            .setResponseMarshaller(UTF8)
            .build();

    enum Transport { NETTY, IN_PROCESS }

    /** One server of the chain and what its handler saw. */
    static final class Hop {
        final String name;
        final OperationRegistry registry = new OperationRegistry(5000, java.time.Clock.systemUTC(), 0);
        final CountDownLatch started = new CountDownLatch(1);
        /** Opened by the test to let C answer. */
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<Long> cancelRequestedNanos = new CompletableFuture<>();
        final CompletableFuture<OperationSnapshot> finished = new CompletableFuture<>();
        volatile CancelableContext seen;
        volatile boolean contextSawOperation;
        volatile Deadline contextDeadline;
        /** The handler's Context deadline and its operation's, as instants read together. */
        volatile Instant contextDeadlineAt;
        volatile Instant operationDeadlineAt;
        volatile boolean contextCanceledAfterInterrupt;
        Server server;
        ManagedChannel downstream;
        Channel next;

        Hop(String name) {
            this.name = name;
            registry.addListener(new OperationListener() {
                @Override
                public void onFinished(OperationSnapshot snapshot) {
                    finished.complete(snapshot);
                }
            });
        }

        OperationSnapshot awaitFinished() throws Exception {
            return finished.get(10, TimeUnit.SECONDS);
        }

        void handle(String request, StreamObserver<String> response) {
            CancelableContext ctx = Cancelables.requireCurrent();
            seen = ctx;
            contextSawOperation = GrpcOperations.currentCallOperation() != null
                    && GrpcOperations.currentCallOperation().getId().equals(ctx.getId());
            contextDeadline = Context.current().getDeadline();
            if (contextDeadline != null && ctx.getDeadline().isPresent()) {
                operationDeadlineAt = ctx.getDeadline().get();
                contextDeadlineAt = Instant.now().plusNanos(contextDeadline.timeRemaining(TimeUnit.NANOSECONDS));
            }
            ctx.onCancelRequested(e -> cancelRequestedNanos.complete(System.nanoTime()));
            started.countDown();
            try {
                if (next == null) {
                    release.await();                       // the slow work: until released or canceled
                    response.onNext(request + ">" + name);
                } else {
                    gateAwait();
                    response.onNext(ClientCalls.blockingUnaryCall(next, CALL, CallOptions.DEFAULT, request + ">" + name));
                }
                response.onCompleted();
            } catch (StatusRuntimeException e) {
                response.onError(e);
            } catch (InterruptedException e) {
                contextCanceledAfterInterrupt = Context.current().isCancelled();
                response.onError(Status.CANCELLED.withDescription(name + " interrupted").asRuntimeException());
            }
        }

        /** Opened by the test to let A or B call on; open unless closed with {@link #closeGate}. */
        private volatile CountDownLatch gateLatch = new CountDownLatch(0);

        void closeGate() {
            gateLatch = new CountDownLatch(1);
        }

        void openGate() {
            gateLatch.countDown();
        }

        private void gateAwait() throws InterruptedException {
            gateLatch.await();
        }
    }

    final Transport transport;
    final Hop a = new Hop("A");
    final Hop b = new Hop("B");
    final Hop c = new Hop("C");
    final ManagedChannel clientChannel;
    /** The test's own channel to A, with the client interceptor. */
    final Channel client;
    private final List<ManagedChannel> channels = new ArrayList<>();

    Chain(Transport transport) throws IOException {
        this.transport = transport;
        String prefix = "chain-" + UUID.randomUUID() + "-";
        Hop[] hops = {c, b, a};
        for (Hop hop : hops) {
            ServerServiceDefinition service = ServerServiceDefinition.builder("demo.Chain")
                    .addMethod(CALL, ServerCalls.asyncUnaryCall(hop::handle))
                    .build();
            ServerServiceDefinition intercepted = ServerInterceptors.intercept(service, new CancelableServerInterceptor(hop.registry));
            hop.server = transport == Transport.NETTY
                    ? NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).addService(intercepted).build().start()
                    : InProcessServerBuilder.forName(prefix + hop.name).addService(intercepted).build().start();
        }
        b.downstream = channelTo(c, prefix);
        b.next = ClientInterceptors.intercept(b.downstream, new CancelableClientInterceptor());
        a.downstream = channelTo(b, prefix);
        a.next = ClientInterceptors.intercept(a.downstream, new CancelableClientInterceptor());
        clientChannel = channelTo(a, prefix);
        client = ClientInterceptors.intercept(clientChannel, new CancelableClientInterceptor());
    }

    private ManagedChannel channelTo(Hop hop, String prefix) {
        ManagedChannel channel = transport == Transport.NETTY
                ? NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), hop.server.getPort())).usePlaintext().build()
                : InProcessChannelBuilder.forName(prefix + hop.name).build();
        channels.add(channel);
        return channel;
    }

    @Override
    public void close() throws InterruptedException {
        for (Hop hop : List.of(a, b, c)) {
            hop.release.countDown();
            hop.openGate();
        }
        for (ManagedChannel channel : channels) {
            channel.shutdownNow();
        }
        for (Hop hop : List.of(a, b, c)) {
            hop.server.shutdownNow();
        }
        for (ManagedChannel channel : channels) {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        }
        for (Hop hop : List.of(a, b, c)) {
            hop.server.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
