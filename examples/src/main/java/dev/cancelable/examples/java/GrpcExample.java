package dev.cancelable.examples.java;

import dev.cancelable.CancellationReason;
import dev.cancelable.CancellationToken;
import dev.cancelable.OperationCanceledException;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.grpc.CancelableClientInterceptor;
import dev.cancelable.grpc.CancelableServerInterceptor;
import dev.cancelable.registry.OperationRegistry;
import dev.cancelable.registry.OperationSnapshot;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three gRPC services in a row (A -> B -> C) on loopback ports, each serving its calls as operations of
 * its own registry, and a client whose operation is canceled while C works: the cancel crosses every
 * hop, and the three registries together show one tree.
 */
public final class GrpcExample {
    private GrpcExample() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, OperationRegistry> registries = new LinkedHashMap<>();
        for (String process : List.of("client", "A", "B", "C")) {
            registries.put(process, new OperationRegistry());
        }
        CountDownLatch cWorking = new CountDownLatch(1);
        List<Server> servers = new ArrayList<>();
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            Server c = hop(registries.get("C"), null, cWorking);
            servers.add(c);
            channels.add(channelTo(c));
            Server b = hop(registries.get("B"), channels.get(0), cWorking);
            servers.add(b);
            channels.add(channelTo(b));
            Server a = hop(registries.get("A"), channels.get(1), cWorking);
            servers.add(a);
            channels.add(channelTo(a));
            System.out.println("A, B and C listen on loopback ports " + a.getPort() + ", " + b.getPort() + ", " + c.getPort());

            checkout(channels.get(2), registries.get("client"), cWorking);

            // The servers' operations end a moment after the client's: wait for them, bounded.
            long settled = System.nanoTime() + 5_000_000_000L;
            while (registries.values().stream().anyMatch(r -> r.getActiveCount() > 0) && System.nanoTime() < settled) {
                Thread.sleep(5);
            }
            System.out.println("The cross-process tree, from the client's registry and those of A, B and C:");
            printTree(registries);
        } finally {
            for (ManagedChannel channel : channels) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            for (Server server : servers) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static ManagedChannel channelTo(Server server) {
        return NettyChannelBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getPort())).usePlaintext().build();
    }

    // region readme:grpc-server
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
    static final MethodDescriptor<String, String> CALL = MethodDescriptor.newBuilder(UTF8, UTF8)
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("demo.Chain/Call").build();

    /**
     * A server on a loopback port whose calls run as operations of {@code registry}: it passes each
     * request on to {@code next} (the deadline, the caller's id and a cancel go along), or, at the end
     * of the chain, works until canceled.
     */
    static Server hop(OperationRegistry registry, ManagedChannel next, CountDownLatch working) throws IOException {
        Channel downstream = next == null ? null : ClientInterceptors.intercept(next, new CancelableClientInterceptor());
        ServerServiceDefinition service = ServerServiceDefinition.builder("demo.Chain")
                .addMethod(CALL, ServerCalls.asyncUnaryCall((request, response) -> {
                    try {
                        String reply;
                        if (downstream != null) {
                            reply = ClientCalls.blockingUnaryCall(downstream, CALL, CallOptions.DEFAULT, request);
                        } else {
                            working.countDown();
                            new CountDownLatch(1).await();               // slow work: a cancel interrupts it
                            reply = "done";
                        }
                        response.onNext(reply);
                        response.onCompleted();
                    } catch (StatusRuntimeException e) {
                        response.onError(e);
                    } catch (InterruptedException e) {
                        response.onError(Status.CANCELLED.withDescription("interrupted").asRuntimeException());
                    }
                }))
                .build();
        return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(ServerInterceptors.intercept(service, new CancelableServerInterceptor(registry)))
                .build()
                .start();
    }
    // endregion

    // region readme:grpc-client
    /** Calls A as part of a "checkout" operation, which the user cancels once {@code busy} opens. */
    static void checkout(ManagedChannel toA, OperationRegistry registry, CountDownLatch busy) throws InterruptedException {
        Channel channel = ClientInterceptors.intercept(toA, new CancelableClientInterceptor());
        CancellationToken token = new CancellationToken();
        Thread user = new Thread(() -> {
            try {
                busy.await();                                      // C is at work: the user gives up
                token.cancel(CancellationReason.MANUAL, "the user closed the page");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "user");
        user.start();
        try {
            Cancelables.operation("checkout").timeout(Duration.ofSeconds(5)).token(token).registry(registry).build()
                    .call(ctx -> ClientCalls.blockingUnaryCall(channel, CALL, CallOptions.DEFAULT, "order-42"));
        } catch (OperationCanceledException e) {
            System.out.println("client: " + e.getReason() + " - " + e.getMessage());
        }
        user.join();
    }
    // endregion

    /** Prints the finished operations of every registry as one tree, joined by parent ids. */
    private static void printTree(Map<String, OperationRegistry> registries) {
        List<Map.Entry<String, OperationSnapshot>> all = new ArrayList<>();
        registries.forEach((process, registry) -> registry.history().forEach(op -> all.add(new SimpleEntry<>(process, op))));
        Set<String> ids = all.stream().map(e -> e.getValue().getId()).collect(Collectors.toSet());
        for (Map.Entry<String, OperationSnapshot> root : all) {
            String parent = root.getValue().getParentId();
            if (parent == null || !ids.contains(parent)) {
                print(all, root, "", "");
            }
        }
    }

    private static void print(List<Map.Entry<String, OperationSnapshot>> all, Map.Entry<String, OperationSnapshot> node, String prefix, String branch) {
        OperationSnapshot op = node.getValue();
        String label = branch + op.getName() + " [" + node.getKey() + "]";
        String message = Objects.requireNonNullElse(op.getCancelMessage(), "");
        System.out.printf("   %-34s %-9s %s  %s%n", label, op.getStatus(), op.getCancelReason() == null ? "" : op.getCancelReason(),
                message.substring(0, Math.min(60, message.length())));
        List<Map.Entry<String, OperationSnapshot>> children = all.stream()
                .filter(e -> op.getId().equals(e.getValue().getParentId())).collect(Collectors.toList());
        for (int i = 0; i < children.size(); i++) {
            boolean last = i == children.size() - 1;
            print(all, children.get(i), prefix + (last ? "    " : "│   "), prefix + (last ? "└── " : "├── "));
        }
    }
}
