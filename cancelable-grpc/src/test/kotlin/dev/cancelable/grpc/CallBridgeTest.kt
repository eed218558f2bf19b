package dev.cancelable.grpc

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationCanceledException
import dev.cancelable.OperationStatus
import dev.cancelable.currentOperation
import dev.cancelable.registry.OperationFilter
import dev.cancelable.registry.OperationListener
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.registry.OperationSnapshot
import dev.cancelable.withCancelable
import io.grpc.CallOptions
import io.grpc.Context
import io.grpc.Metadata
import io.grpc.MethodDescriptor.MethodType
import io.grpc.Status
import io.grpc.StatusRuntimeException
import io.grpc.stub.ClientCalls
import io.grpc.stub.MetadataUtils
import io.grpc.stub.ServerCalls
import io.grpc.stub.StreamObserver
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeBetween
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancel
import kotlinx.coroutines.future.await
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/** Waits (bounded) for the operation named [name] to finish in [this] registry. */
fun OperationRegistry.finished(name: String): CompletableFuture<OperationSnapshot> {
    val done = CompletableFuture<OperationSnapshot>()
    val handle = addListener(object : OperationListener {
        override fun onFinished(snapshot: OperationSnapshot) {
            if (snapshot.name == name) done.complete(snapshot)
        }
    })
    history(OperationFilter(namePattern = name)).firstOrNull()?.let(done::complete)
    return done.whenComplete { _, _ -> handle.close() }
}

class CallBridgeTest : FunSpec({
    val unary = method("Unary")
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    afterSpec { scope.cancel() }

    test("a coroutine handler runs as the call's operation and a registry cancel cancels it and answers CANCELLED [scenario 158]") {
        val coroutineCanceled = CompletableDeferred<Throwable>()
        val sawItself = CompletableDeferred<Boolean>()
        InProcess(
            OperationRegistry(),
            unary to ServerCalls.asyncUnaryCall { _, response: StreamObserver<String> ->
                val op = currentCallOperation()!!
                scope.launch {
                    withCancelable(op) {
                        sawItself.complete(currentOperation() === op)
                        try {
                            awaitCancellation()
                        } catch (e: Throwable) {
                            coroutineCanceled.complete(e)
                            throw e
                        }
                    }
                    response.onNext("never")
                }
            },
        ).use { server ->
            val reply = unaryFuture(server.channel.newCall(unary, CallOptions.DEFAULT), "x")
            withTimeout(10.seconds) { sawItself.await() } shouldBe true
            val id = server.registry.list().single().id
            server.registry.cancel(id, CancellationReason.MANUAL, "from the console") shouldBe true

            val status = Status.fromThrowable(shouldThrow<Exception> { reply.await() })
            status.code shouldBe Status.Code.CANCELLED
            status.description shouldContain "canceled (manual): from the console"
            (withTimeout(10.seconds) { coroutineCanceled.await() } is OperationCanceledException) shouldBe true
            server.registry.finished(unary.fullMethodName).get(10, TimeUnit.SECONDS).status shouldBe OperationStatus.CANCELED
        }
    }

    test("withCallOperation runs a suspend block as the current call's operation [scenario 158]") {
        InProcess(
            OperationRegistry(),
            unary to ServerCalls.asyncUnaryCall { _, response: StreamObserver<String> ->
                val ids = runBlocking { withCallOperation { op -> "${op.id}=${currentOperation()?.id}" } }
                response.onNext(ids)
                response.onCompleted()
            },
        ).use { server ->
            val (outer, inner) = ClientCalls.blockingUnaryCall(server.channel, unary, CallOptions.DEFAULT, "x").split("=")
            outer shouldBe inner
            server.registry.finished(unary.fullMethodName).get(10, TimeUnit.SECONDS).id shouldBe outer
        }
        shouldThrow<IllegalStateException> { withCallOperation { } }.message shouldContain "no gRPC call"
    }

    test("inside a handler Context.current() is canceled with the operation, with its cancel as the cause [scenario 154]") {
        val cause = CompletableFuture<Throwable?>()
        val listening = CompletableDeferred<String>()
        InProcess(
            OperationRegistry(),
            unary to ServerCalls.asyncUnaryCall { _, _: StreamObserver<String> ->
                val context = Context.current()
                context.addListener({ cause.complete(it.cancellationCause()) }, Runnable::run)
                listening.complete(currentCallOperation()!!.id)
            },
        ).use { server ->
            val reply = unaryFuture(server.channel.newCall(unary, CallOptions.DEFAULT), "x")
            val listed = server.registry.get(withTimeout(10.seconds) { listening.await() })!!
            cause.isDone shouldBe false
            server.registry.cancel(listed.id, CancellationReason.MANUAL, "stop") shouldBe true
            val seen = cause.get(10, TimeUnit.SECONDS) as OperationCanceledException
            seen.reason shouldBe CancellationReason.MANUAL
            seen.operationId shouldBe listed.id
            Status.fromThrowable(shouldThrow<Exception> { reply.await() }).code shouldBe Status.Code.CANCELLED
        }
    }

    test("an operation started inside a gRPC Context follows its cancel (PARENT) and its deadline (TIMEOUT) [scenario 159]") {
        val canceled = Context.current().withCancellation()
        val op = Cancelable(name = "in-context", sources = listOf(GrpcContextSource(canceled)), registry = null)
        val running = scope.launch { op.run { awaitCancellation() } }
        withTimeout(10.seconds) { while (op.status != OperationStatus.RUNNING) kotlinx.coroutines.yield() }
        canceled.cancel(null)
        running.join()
        op.status shouldBe OperationStatus.CANCELED
        op.cancelReason shouldBe CancellationReason.PARENT
        op.cancelMessage!! shouldStartWith "gRPC context canceled: CANCELLED"

        val timer = Executors.newSingleThreadScheduledExecutor()
        try {
            val expiring = Context.current().withDeadlineAfter(50, TimeUnit.MILLISECONDS, timer)
            val timed = Cancelable(name = "deadline", sources = listOf(GrpcContextSource(expiring)), registry = null)
            shouldThrow<OperationCanceledException> {
                timed.run {
                    val left = java.time.Duration.between(java.time.Instant.now(), operation.deadline)
                    (left.toMillis() in 1..50) shouldBe true
                    awaitCancellation()
                }
            }.reason shouldBe CancellationReason.TIMEOUT
            timed.cancelMessage!! shouldStartWith "gRPC context deadline exceeded"
        } finally {
            timer.shutdownNow()
        }

        var ran = false
        val already = Cancelable(name = "late", sources = listOf(GrpcContextSource(canceled)), registry = null)
        shouldThrow<OperationCanceledException> { already.run { ran = true } }.reason shouldBe CancellationReason.PARENT
        ran shouldBe false
    }

    test("outgoing calls take the operation's deadline, the earliest winning against the call options', and send its id [scenario 160]") {
        val seen = java.util.concurrent.LinkedBlockingQueue<Pair<Long?, String?>>()
        InProcess(
            OperationRegistry(),
            unary to ServerCalls.asyncUnaryCall { _, response: StreamObserver<String> ->
                val left = Context.current().deadline?.timeRemaining(TimeUnit.MILLISECONDS)
                seen.add(left to currentCallOperation()?.parentId)
                response.onNext("ok")
                response.onCompleted()
            },
        ).use { server ->
            val stub = TestStub(server.channel)
            fun call(s: TestStub) = ClientCalls.blockingUnaryCall(s.channel, unary, s.callOptions, "x")

            val short = Cancelable(name = "short", timeout = 2.seconds, registry = null)
            short.callBlocking { call(stub.withDeadlineAfter(30, TimeUnit.SECONDS)) }
            seen.take().let { (left, parent) ->
                left!!.shouldBeBetween(1_000, 2_000)
                parent shouldBe short.id
            }

            val long = Cancelable(name = "long", timeout = 30.seconds, registry = null)
            long.callBlocking { call(stub.withDeadlineAfter(2, TimeUnit.SECONDS)) }
            seen.take().first!!.shouldBeBetween(1_000, 2_000)

            call(stub)                                           // outside any operation: untouched
            seen.take().let { (left, parent) ->
                left.shouldBeNull()
                parent.shouldBeNull()
            }

            // Suspending code names its operation on the stub; its cancel cancels the call with the reason.
            val suspending = Cancelable(name = "suspending", timeout = 30.seconds, registry = null)
            val reply = suspending.run {
                val own = stub.withOperation(currentOperation()!!)
                unaryFuture(own.channel.newCall(unary, own.callOptions), "x").await()
            }
            reply shouldBe "ok"
            seen.take().let { (left, parent) ->
                left!!.shouldBeBetween(25_000, 30_000)
                parent shouldBe suspending.id
            }
        }
    }

    test("an operation named in the call options cancels its call with the reason in the message [scenario 160]") {
        InProcess(OperationRegistry(), unary to ServerCalls.asyncUnaryCall { _, _: StreamObserver<String> -> }).use { server ->
            val op = Cancelable(name = "caller", registry = null)
            val running = scope.launch { op.runOrNull { awaitCancellation() } }
            val reply = unaryFuture(server.channel.newCall(unary, CallOptions.DEFAULT.withOperation(op)), "x")
            withTimeout(10.seconds) { while (server.registry.activeCount == 0) kotlinx.coroutines.yield() }
            op.cancel(CancellationReason.MANUAL, "user left")
            running.join()
            val status = Status.fromThrowable(shouldThrow<Exception> { reply.await() })
            status.code shouldBe Status.Code.CANCELLED
            status.description!! shouldContain "operation caller (${op.id}) canceled (manual): user left"
            server.registry.finished(unary.fullMethodName).get(10, TimeUnit.SECONDS).let {
                it.cancelReason shouldBe CancellationReason.PARENT
                it.parentId shouldBe op.id
            }
        }
    }

    test("a handler's own outcome decides: OK is COMPLETED, an error status or a throw is FAILED [scenario 161]") {
        val ok = method("Ok")
        val notFound = method("NotFound")
        val boom = method("Boom")
        InProcess(
            OperationRegistry(),
            ok to ServerCalls.asyncUnaryCall { _, r: StreamObserver<String> -> r.onNext("fine"); r.onCompleted() },
            notFound to ServerCalls.asyncUnaryCall { _, r: StreamObserver<String> -> r.onError(Status.NOT_FOUND.withDescription("no such thing").asRuntimeException()) },
            boom to ServerCalls.asyncUnaryCall { _, _: StreamObserver<String> -> throw IllegalStateException("boom") },
        ).use { server ->
            ClientCalls.blockingUnaryCall(server.channel, ok, CallOptions.DEFAULT, "x") shouldBe "fine"
            server.registry.finished(ok.fullMethodName).get(10, TimeUnit.SECONDS).status shouldBe OperationStatus.COMPLETED

            shouldThrow<StatusRuntimeException> { ClientCalls.blockingUnaryCall(server.channel, notFound, CallOptions.DEFAULT, "x") }
                .status.code shouldBe Status.Code.NOT_FOUND
            server.registry.finished(notFound.fullMethodName).get(10, TimeUnit.SECONDS).let {
                it.status shouldBe OperationStatus.FAILED
                it.error!! shouldContain "NOT_FOUND: no such thing"
            }

            shouldThrow<StatusRuntimeException> { ClientCalls.blockingUnaryCall(server.channel, boom, CallOptions.DEFAULT, "x") }
                .status.code shouldBe Status.Code.UNKNOWN
            server.registry.finished(boom.fullMethodName).get(10, TimeUnit.SECONDS).let {
                it.status shouldBe OperationStatus.FAILED
                it.error!! shouldContain "boom"
            }
            server.registry.activeCount shouldBe 0
        }
    }

    test("a caller id that is not a short printable token is ignored [scenario 162]") {
        InProcess(OperationRegistry(), unary to ServerCalls.asyncUnaryCall { _, r: StreamObserver<String> -> r.onNext("x"); r.onCompleted() }).use { server ->
            for (bad in listOf("has spaces in it", "x".repeat(200))) {
                val headers = Metadata().apply { put(OPERATION_ID_HEADER, bad) }
                val stub = TestStub(server.managed).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                ClientCalls.blockingUnaryCall(stub.channel, unary, stub.callOptions, "x")
                server.registry.finished(unary.fullMethodName).get(10, TimeUnit.SECONDS).parentId.shouldBeNull()
                server.registry.cleanupCompleted()
            }
        }
    }

    test("a bidirectional stream is one operation: every message is handled inside it, and a local cancel ends the stream with CANCELLED [scenario 163]") {
        val bidi = method("Bidi", MethodType.BIDI_STREAMING)
        val handledIn = java.util.concurrent.ConcurrentLinkedQueue<String?>()
        InProcess(
            OperationRegistry(),
            bidi to ServerCalls.asyncBidiStreamingCall { response: StreamObserver<String> ->
                object : StreamObserver<String> {
                    override fun onNext(value: String) {
                        handledIn.add(Cancelable.current()?.id)
                        response.onNext("echo $value")
                    }
                    override fun onError(t: Throwable) = Unit
                    override fun onCompleted() = response.onCompleted()
                }
            },
        ).use { server ->
            val replies = java.util.concurrent.LinkedBlockingQueue<String>()
            val end = CompletableFuture<Throwable?>()
            val requests = io.grpc.stub.ClientCalls.asyncBidiStreamingCall(
                server.channel.newCall(bidi, CallOptions.DEFAULT),
                object : StreamObserver<String> {
                    override fun onNext(value: String) { replies.add(value) }
                    override fun onError(t: Throwable) { end.complete(t) }
                    override fun onCompleted() { end.complete(null) }
                },
            )
            requests.onNext("1")
            requests.onNext("2")
            replies.poll(10, TimeUnit.SECONDS) shouldBe "echo 1"
            replies.poll(10, TimeUnit.SECONDS) shouldBe "echo 2"
            val op = server.registry.list().single()
            op.metadata["grpc.methodType"] shouldBe "BIDI_STREAMING"
            handledIn.toSet() shouldBe setOf(op.id)

            server.registry.cancel(op.id, CancellationReason.MANUAL, "enough") shouldBe true
            val status = Status.fromThrowable(end.get(10, TimeUnit.SECONDS))
            status.code shouldBe Status.Code.CANCELLED
            status.description!! shouldContain "canceled (manual): enough"
            server.registry.finished(bidi.fullMethodName).get(10, TimeUnit.SECONDS).status shouldBe OperationStatus.CANCELED
        }
    }

    test("an incoming deadline too short for the handler ends the call with DEADLINE_EXCEEDED and the operation with TIMEOUT [scenario 164]") {
        InProcess(OperationRegistry(), unary to ServerCalls.asyncUnaryCall { _, _: StreamObserver<String> -> }).use { server ->
            val status = shouldThrow<StatusRuntimeException> {
                ClientCalls.blockingUnaryCall(server.channel, unary, CallOptions.DEFAULT.withDeadlineAfter(100, TimeUnit.MILLISECONDS), "x")
            }.status
            status.code shouldBe Status.Code.DEADLINE_EXCEEDED
            server.registry.finished(unary.fullMethodName).get(10, TimeUnit.SECONDS).let {
                it.status shouldBe OperationStatus.CANCELED
                it.cancelReason shouldBe CancellationReason.TIMEOUT
            }
        }
    }
})
