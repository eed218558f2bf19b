package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import dev.cancelable.OperationCanceledException
import dev.cancelable.grpc.CancelableClientInterceptor
import dev.cancelable.grpc.CancelableServerInterceptor
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.registry.OperationSnapshot
import io.grpc.CallOptions
import io.grpc.ClientInterceptors
import io.grpc.ManagedChannel
import io.grpc.MethodDescriptor
import io.grpc.Server
import io.grpc.ServerInterceptors
import io.grpc.ServerServiceDefinition
import io.grpc.Status
import io.grpc.StatusRuntimeException
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder
import io.grpc.stub.ClientCalls
import io.grpc.stub.ServerCalls
import io.grpc.stub.StreamObserver
import java.io.InputStream
import java.net.InetAddress
import java.net.InetSocketAddress
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlin.time.Duration.Companion.seconds

/**
 * Three gRPC services in a row (A -> B -> C) on loopback ports, each serving its calls as operations of
 * its own registry, and a client whose operation is canceled while C works: the cancel crosses every
 * hop, and the three registries together show one tree.
 */
object GrpcExample {
    @JvmStatic
    fun main(args: Array<String>) {
        val registries = linkedMapOf("client" to OperationRegistry(), "A" to OperationRegistry(), "B" to OperationRegistry(), "C" to OperationRegistry())
        val cWorking = CountDownLatch(1)
        val servers = ArrayList<Server>()
        val channels = ArrayList<ManagedChannel>()
        fun channelTo(server: Server): ManagedChannel =
            NettyChannelBuilder.forAddress(InetSocketAddress(InetAddress.getLoopbackAddress(), server.port)).usePlaintext().build().also(channels::add)
        try {
            val c = hop(registries.getValue("C"), next = null, working = cWorking).also(servers::add)
            val b = hop(registries.getValue("B"), next = channelTo(c), working = cWorking).also(servers::add)
            val a = hop(registries.getValue("A"), next = channelTo(b), working = cWorking).also(servers::add)
            println("A, B and C listen on loopback ports ${a.port}, ${b.port}, ${c.port}")

            checkout(channelTo(a), registries.getValue("client"), cWorking)

            // The servers' operations end a moment after the client's: wait for them, bounded.
            val settled = System.nanoTime() + 5_000_000_000L
            while (registries.values.any { it.activeCount > 0 } && System.nanoTime() < settled) Thread.sleep(5)
            println("The cross-process tree, from the client's registry and those of A, B and C:")
            printTree(registries)
        } finally {
            channels.forEach { it.shutdownNow() }
            servers.forEach { it.shutdownNow() }
            channels.forEach { it.awaitTermination(5, TimeUnit.SECONDS) }
            servers.forEach { it.awaitTermination(5, TimeUnit.SECONDS) }
        }
    }

    // region readme:grpc-server
    val utf8 = object : MethodDescriptor.Marshaller<String> {
        override fun stream(value: String): InputStream = value.byteInputStream()
        override fun parse(stream: InputStream): String = stream.readBytes().decodeToString()
    }
    val call: MethodDescriptor<String, String> = MethodDescriptor.newBuilder(utf8, utf8)
        .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("demo.Chain/Call").build()

    /**
     * A server on a loopback port whose calls run as operations of [registry]: it passes each request
     * on to [next] (the deadline, the caller's id and a cancel go along), or, at the end of the chain,
     * works until canceled.
     */
    fun hop(registry: OperationRegistry, next: ManagedChannel?, working: CountDownLatch): Server {
        val downstream = next?.let { ClientInterceptors.intercept(it, CancelableClientInterceptor()) }
        val service = ServerServiceDefinition.builder("demo.Chain")
            .addMethod(call, ServerCalls.asyncUnaryCall { request: String, response: StreamObserver<String> ->
                try {
                    val reply = if (downstream != null) {
                        ClientCalls.blockingUnaryCall(downstream, call, CallOptions.DEFAULT, request)
                    } else {
                        working.countDown()
                        CountDownLatch(1).await()                   // slow work: a cancel interrupts it
                        "done"
                    }
                    response.onNext(reply)
                    response.onCompleted()
                } catch (e: StatusRuntimeException) {
                    response.onError(e)
                } catch (e: InterruptedException) {
                    response.onError(Status.CANCELLED.withDescription("interrupted").asRuntimeException())
                }
            })
            .build()
        return NettyServerBuilder.forAddress(InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .addService(ServerInterceptors.intercept(service, CancelableServerInterceptor(registry)))
            .build()
            .start()
    }
    // endregion

    // region readme:grpc-client
    /** Calls A as part of a "checkout" operation, which the user cancels once [busy] opens. */
    fun checkout(toA: ManagedChannel, registry: OperationRegistry, busy: CountDownLatch) {
        val channel = ClientInterceptors.intercept(toA, CancelableClientInterceptor())
        val token = CancellationToken()
        thread(name = "user") {
            busy.await()                                       // C is at work: the user gives up
            token.cancel(CancellationReason.MANUAL, "the user closed the page")
        }
        try {
            Cancelable(name = "checkout", timeout = 5.seconds, token = token, registry = registry).callBlocking {
                ClientCalls.blockingUnaryCall(channel, call, CallOptions.DEFAULT, "order-42")
            }
        } catch (e: OperationCanceledException) {
            println("client: ${e.reason} - ${e.message}")
        }
    }
    // endregion

    /** Prints the finished operations of every registry as one tree, joined by parent ids. */
    private fun printTree(registries: Map<String, OperationRegistry>) {
        val all = registries.flatMap { (process, registry) -> registry.history().map { process to it } }
        val ids = all.map { it.second.id }.toSet()
        fun print(node: Pair<String, OperationSnapshot>, prefix: String, branch: String) {
            val (process, op) = node
            val label = "$branch${op.name} [$process]"
            println("   ${label.padEnd(34)} ${op.status.toString().padEnd(9)} ${op.cancelReason ?: ""}  ${op.cancelMessage.orEmpty().take(60)}")
            val children = all.filter { it.second.parentId == op.id }
            children.forEachIndexed { index, child ->
                val last = index == children.lastIndex
                print(child, "$prefix${if (last) "    " else "│   "}", "$prefix${if (last) "└── " else "├── "}")
            }
        }
        all.filter { it.second.parentId == null || it.second.parentId !in ids }.forEach { print(it, "", "") }
    }
}
