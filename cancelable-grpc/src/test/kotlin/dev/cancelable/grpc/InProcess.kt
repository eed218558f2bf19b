package dev.cancelable.grpc

import dev.cancelable.registry.OperationRegistry
import io.grpc.CallOptions
import io.grpc.Channel
import io.grpc.ClientInterceptors
import io.grpc.ManagedChannel
import io.grpc.MethodDescriptor
import io.grpc.Server
import io.grpc.ServerCallHandler
import io.grpc.ServerInterceptors
import io.grpc.ServerServiceDefinition
import io.grpc.inprocess.InProcessChannelBuilder
import io.grpc.inprocess.InProcessServerBuilder
import io.grpc.stub.AbstractStub
import java.util.UUID
import java.util.concurrent.TimeUnit

/** A method of the test service `demo.Test`, with UTF-8 strings both ways. */
fun method(name: String, type: MethodDescriptor.MethodType = MethodDescriptor.MethodType.UNARY): MethodDescriptor<String, String> =
    Chain.CALL.toBuilder().setFullMethodName("demo.Test/$name").setType(type).build()

/** One in-process server with the server interceptor, and a channel to it with the client interceptor. */
class InProcess(
    val registry: OperationRegistry = OperationRegistry(),
    vararg methods: Pair<MethodDescriptor<String, String>, ServerCallHandler<String, String>>,
) : AutoCloseable {
    private val name = "test-${UUID.randomUUID()}"
    private val server: Server = InProcessServerBuilder.forName(name)
        .addService(
            ServerInterceptors.intercept(
                ServerServiceDefinition.builder("demo.Test").apply { methods.forEach { (m, h) -> addMethod(m, h) } }.build(),
                CancelableServerInterceptor(registry),
            ),
        )
        .build().start()
    val managed: ManagedChannel = InProcessChannelBuilder.forName(name).build()
    val channel: Channel = ClientInterceptors.intercept(managed, CancelableClientInterceptor())

    override fun close() {
        managed.shutdownNow().awaitTermination(10, TimeUnit.SECONDS)
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS)
    }
}

/** The smallest stub: what generated stubs are, without a code generator. */
class TestStub(channel: Channel, options: CallOptions = CallOptions.DEFAULT) : AbstractStub<TestStub>(channel, options) {
    override fun build(channel: Channel, callOptions: CallOptions): TestStub = TestStub(channel, callOptions)
}

/** Starts a unary call; its reply or failure completes the future. */
fun unaryFuture(call: io.grpc.ClientCall<String, String>, request: String): java.util.concurrent.CompletableFuture<String> {
    val reply = java.util.concurrent.CompletableFuture<String>()
    io.grpc.stub.ClientCalls.asyncUnaryCall(call, request, object : io.grpc.stub.StreamObserver<String> {
        override fun onNext(value: String) { reply.complete(value) }
        override fun onError(t: Throwable) { reply.completeExceptionally(t) }
        override fun onCompleted() { reply.complete(null) }
    })
    return reply
}
