package dev.cancelable.benchmarks;

import dev.cancelable.Cancelable;
import dev.cancelable.facade.Cancelables;
import dev.cancelable.grpc.CancelableClientInterceptor;
import dev.cancelable.grpc.CancelableServerInterceptor;
import dev.cancelable.grpc.GrpcOperations;
import dev.cancelable.registry.OperationRegistry;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The per-call cost of the gRPC interceptors: one unary call over the in-process transport (direct
 * executors, so the handler runs on the calling thread and only the call path is measured), bare,
 * with the server interceptor (each call an operation of a private registry), with the client
 * interceptor (the call belongs to a running operation with a timeout: deadline, id header, cancel
 * hook), and with both.
 */
@State(Scope.Benchmark)
public class GrpcInterceptorBenchmark extends SuiteDefaults {
    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
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

    private static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("bench.Echo/Echo")
            .setRequestMarshaller(UTF8)
            .setResponseMarshaller(UTF8)
            .build();

    private final CountDownLatch stop = new CountDownLatch(1);
    private Server bareServer;
    private Server interceptedServer;
    private ManagedChannel toBare;
    private ManagedChannel toIntercepted;
    private Channel bare;
    private Channel serverSide;
    private Channel clientSide;
    private Channel both;
    private CallOptions inOperation;
    private Thread operationThread;

    @Setup(Level.Trial)
    public void start() throws Exception {
        ServerServiceDefinition echo = ServerServiceDefinition.builder("bench.Echo")
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext(request);
                    response.onCompleted();
                }))
                .build();
        String name = "bench-" + System.nanoTime();
        bareServer = InProcessServerBuilder.forName(name + "-bare").directExecutor().addService(echo).build().start();
        interceptedServer = InProcessServerBuilder.forName(name + "-intercepted").directExecutor()
                .addService(ServerInterceptors.intercept(echo, new CancelableServerInterceptor(new OperationRegistry())))
                .build().start();
        toBare = InProcessChannelBuilder.forName(name + "-bare").directExecutor().build();
        toIntercepted = InProcessChannelBuilder.forName(name + "-intercepted").directExecutor().build();
        bare = toBare;
        serverSide = toIntercepted;
        clientSide = ClientInterceptors.intercept(toBare, new CancelableClientInterceptor());
        both = ClientInterceptors.intercept(toIntercepted, new CancelableClientInterceptor());

        // The client's calls belong to an operation that runs, with a timeout, for the whole trial.
        CompletableFuture<Cancelable> running = new CompletableFuture<>();
        operationThread = new Thread(() -> {
            try {
                Cancelables.operation("bench-client").timeout(Duration.ofHours(1)).noRegistry().build().call(ctx -> {
                    running.complete(Cancelable.current());
                    stop.await();
                    return null;
                });
            } catch (Exception e) {
                running.completeExceptionally(e);
            }
        }, "bench-client-operation");
        operationThread.setDaemon(true);
        operationThread.start();
        inOperation = GrpcOperations.withOperation(CallOptions.DEFAULT, running.get(10, TimeUnit.SECONDS));
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        stop.countDown();
        operationThread.join(10_000);
        toBare.shutdownNow();
        toIntercepted.shutdownNow();
        bareServer.shutdownNow();
        interceptedServer.shutdownNow();
    }

    @Benchmark
    public String bareUnaryCall() {
        return ClientCalls.blockingUnaryCall(bare, ECHO, inOperation, "x");
    }

    @Benchmark
    public String withServerInterceptor() {
        return ClientCalls.blockingUnaryCall(serverSide, ECHO, inOperation, "x");
    }

    @Benchmark
    public String withClientInterceptor() {
        return ClientCalls.blockingUnaryCall(clientSide, ECHO, inOperation, "x");
    }

    @Benchmark
    public String withBothInterceptors() {
        return ClientCalls.blockingUnaryCall(both, ECHO, inOperation, "x");
    }
}
