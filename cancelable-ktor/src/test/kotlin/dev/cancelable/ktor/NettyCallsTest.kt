package dev.cancelable.ktor

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import dev.cancelable.currentOperation
import dev.cancelable.flow.PartialResult
import dev.cancelable.registry.OperationListener
import dev.cancelable.registry.OperationRegistry
import dev.cancelable.registry.OperationSnapshot
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.server.application.install
import io.ktor.server.request.header
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.routing
import io.ktor.server.sse.SSE
import io.ktor.server.websocket.WebSockets
import io.ktor.server.websocket.webSocket
import io.ktor.websocket.Frame
import io.ktor.websocket.readText
import io.ktor.client.plugins.websocket.WebSockets as ClientWebSockets
import io.ktor.client.plugins.websocket.webSocket
import io.ktor.server.sse.sse
import io.ktor.sse.ServerSentEvent
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.coroutineScope
import java.net.Socket
import java.net.URI
import java.net.http.HttpClient as JdkClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds

/** The plugin on a real Netty server, reached over loopback sockets by real clients. */
class NettyCallsTest : FunSpec({
    val registry = OperationRegistry()
    val server = NettyServer {
        install(SSE)
        install(WebSockets)
        routing {
            install(CancelableCalls) { this.registry = registry }
            get("/hang") { awaitCancellation() }
            get("/deadline") {
                call.respondText("${call.request.header(DeadlineHeaders.REQUEST_TIMEOUT)} ${call.request.header(DeadlineHeaders.PARENT_ID)}")
            }
            get("/lines") {
                call.respondCancelableTextWriter {
                    for (i in 1..1_000_000) {
                        write("line $i\n")
                        flush()
                        if (i == 3) currentOperation()!!.cancel(CancellationReason.MANUAL, "enough lines")
                    }
                }
            }
            webSocket("/frames") {
                // Ktor runs a websocket session after the upgrade answer, outside the call's operation: it gets its own.
                Cancelable(name = "WS /frames", registry = registry).run {
                    countingSent {
                        for (i in 1..5) {
                            send(Frame.Text("frame $i"))
                            if (i == 2 && call.request.queryParameters["cut"] != null) currentOperation()!!.cancel(CancellationReason.MANUAL, "cut")
                            sent()
                        }
                    }
                }
            }
            sse("/ticks") {
                countingSent {
                    for (i in 1..5) {
                        send(ServerSentEvent("tick $i"))
                        if (i == 2 && call.request.queryParameters["cut"] != null) currentOperation()!!.cancel(CancellationReason.MANUAL, "cut")
                        sent()
                    }
                }
            }
        }
    }
    afterSpec { server.close() }
    val jdk = JdkClient.newHttpClient()

    test("closing the socket mid-request cancels the call's operation with the disconnect reason within 500 ms [scenario 136]") {
        val latencies = (1..5).map {
            val finished = CompletableFuture<Pair<Long, OperationSnapshot>>()
            val listening = registry.addListener(object : OperationListener {
                override fun onFinished(snapshot: OperationSnapshot) {
                    if (snapshot.name == "GET /hang") finished.complete(System.nanoTime() to snapshot)
                }
            })
            val socket = Socket("127.0.0.1", server.port)
            socket.getOutputStream().write("GET /hang HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".toByteArray())
            socket.getOutputStream().flush()
            registry.awaitLive("GET /hang")
            val closed = System.nanoTime()
            socket.close()
            val (at, op) = finished.get(5, TimeUnit.SECONDS)
            listening.close()
            op.status shouldBe OperationStatus.CANCELED
            op.cancelReason shouldBe CancellationReason.SIGNAL
            op.cancelMessage shouldBe CancelableCallsConfig.DISCONNECT_MESSAGE
            op.metadata[CancelableCallsConfig.DISCONNECTED] shouldBe true
            (at - closed) / 1_000
        }
        println("disconnect-to-CANCELED latency over ${latencies.size} disconnects (µs): $latencies")
        latencies.max() shouldBeLessThan 500_000L
    }

    test("a Request-Timeout header sent by a real client caps the call and answers 504 [scenario 133]") {
        val request = HttpRequest.newBuilder(URI("${server.base}/hang")).header(DeadlineHeaders.REQUEST_TIMEOUT, "0.2").build()
        val response = jdk.send(request, HttpResponse.BodyHandlers.ofString())
        response.statusCode() shouldBe 504
        val op = registry.history().last { it.name == "GET /hang" }
        op.cancelReason shouldBe CancellationReason.TIMEOUT
        op.metadata[CancelableCallsConfig.CALLER_DEADLINE_MS] shouldBe 200L
    }

    test("a streamed text response canceled midway stops and records how many lines it sent [scenario 135]") {
        val body = runCatching { jdk.send(HttpRequest.newBuilder(URI("${server.base}/lines")).build(), HttpResponse.BodyHandlers.ofString()).body() }
        body.getOrNull()?.lines()?.size?.let { (it < 10) shouldBe true }
        val op = registry.awaitFinished("GET /lines")
        op.status shouldBe OperationStatus.CANCELED
        op.cancelMessage shouldBe "enough lines"
        (op.partialResult as PartialResult<*>).let { it.count to it.completed } shouldBe (3L to false)
        op.metadata[SentCounter.SENT] shouldBe 3L
    }

    test("an SSE stream stops at the cancel and records the events sent; a complete one says so [scenario 135]") {
        runCatching { jdk.send(HttpRequest.newBuilder(URI("${server.base}/ticks?cut=1")).build(), HttpResponse.BodyHandlers.ofString()) }
        val cut = registry.awaitFinished("GET /ticks")
        cut.status shouldBe OperationStatus.CANCELED
        (cut.partialResult as PartialResult<*>).let { it.count to it.completed } shouldBe (2L to false)
        val whole = jdk.send(HttpRequest.newBuilder(URI("${server.base}/ticks")).build(), HttpResponse.BodyHandlers.ofString()).body()
        (whole.contains("tick 5")) shouldBe true
        val complete = awaitValue { registry.history().filter { it.name == "GET /ticks" }.takeIf { it.size == 2 }?.last() }
        complete.status shouldBe OperationStatus.COMPLETED
        (complete.partialResult as PartialResult<*>).let { it.count to it.completed } shouldBe (5L to true)
    }

    test("a websocket session run as its own operation stops at the cancel and records the frames sent [scenario 138]") {
        HttpClient(CIO) { install(ClientWebSockets) }.use { client ->
            val received = ArrayList<String>()
            runCatching {
                client.webSocket("ws://127.0.0.1:${server.port}/frames?cut=1") {
                    for (frame in incoming) if (frame is Frame.Text) received += frame.readText()
                }
            }
            val cut = registry.awaitFinished("WS /frames")
            cut.status shouldBe OperationStatus.CANCELED
            (cut.partialResult as PartialResult<*>).let { it.count to it.completed } shouldBe (2L to false)
            client.webSocket("ws://127.0.0.1:${server.port}/frames") { for (frame in incoming) Unit }
            val complete = awaitValue { registry.history().filter { it.name == "WS /frames" }.takeIf { it.size == 2 }?.last() }
            complete.status shouldBe OperationStatus.COMPLETED
            (complete.partialResult as PartialResult<*>).let { it.count to it.completed } shouldBe (5L to true)
        }
    }

    test("the client plugin sends the time left and the operation id, and the server records the caller as parent [scenario 137]") {
        HttpClient(CIO) { install(CancelableClient) }.use { client ->
            val caller = Cancelable(name = "caller", timeout = 5.seconds, registry = null)
            val answer = caller.run { client.get("${server.base}/deadline").bodyAsText() }
            val (left, parent) = answer.split(" ")
            left.toDouble() shouldBeLessThanOrEqual 5.0
            left.toDouble() shouldBeGreaterThan 3.0
            parent shouldBe caller.id
            val served = registry.history().last { it.name == "GET /deadline" }
            served.parentId shouldBe caller.id
            (served.metadata[CancelableCallsConfig.CALLER_DEADLINE_MS] as Long) shouldBeLessThan 5_001L
            client.get("${server.base}/deadline").bodyAsText() shouldBe "null null"
        }
    }

    test("canceling the caller's operation cancels its request, and the server's operation ends with the disconnect [scenario 137]") {
        HttpClient(CIO) { install(CancelableClient) }.use { client ->
            val caller = Cancelable(name = "caller", registry = null)
            coroutineScope {
                val pending = async { caller.runOrNull { client.get("${server.base}/hang").bodyAsText() } }
                registry.awaitLive("GET /hang")
                caller.cancel(CancellationReason.MANUAL, "user left")
                pending.await() shouldBe null
            }
            val served = awaitValue { registry.history().lastOrNull { it.name == "GET /hang" && it.cancelMessage == CancelableCallsConfig.DISCONNECT_MESSAGE && it.parentId == caller.id } }
            served.status shouldBe OperationStatus.CANCELED
        }
    }
})
