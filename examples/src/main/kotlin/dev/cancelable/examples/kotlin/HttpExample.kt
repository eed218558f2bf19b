package dev.cancelable.examples.kotlin

import com.fasterxml.jackson.databind.ObjectMapper
import com.sun.net.httpserver.HttpExchange
import com.sun.net.httpserver.HttpServer
import dev.cancelable.Cancelable
import dev.cancelable.CanceledByTimeoutException
import dev.cancelable.CancellationReason
import dev.cancelable.OperationCanceledException
import dev.cancelable.registry.OperationRegistry
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse.BodyHandlers
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * An HTTP server on the JDK's `HttpServer` where each request runs as an operation with a deadline,
 * the live operations are served as JSON at `GET /operations`, and `DELETE /operations/{id}`
 * cancels one. It listens on the loopback interface only.
 */
object HttpExample {
    class Server(private val registry: OperationRegistry, private val deadline: Duration) : AutoCloseable {
        private val pool: ExecutorService = Executors.newCachedThreadPool()
        private val http = HttpServer.create(InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0).apply {
            executor = pool
            createContext("/work") { exchange -> exchange.use { work(it, registry, deadline) } }
            createContext("/operations") { exchange -> exchange.use { operations(it, registry) } }
            start()
        }

        /** Where the server listens, e.g. `http://127.0.0.1:41234`. */
        val uri: URI get() = URI("http", null, http.address.hostString, http.address.port, null, null, null)

        override fun close() {
            http.stop(0)
            pool.shutdownNow()
        }
    }

    // region readme:http
    /**
     * `GET /work?ms=N&deadline=D`: N ms of work as an operation of [registry] with a deadline of D ms
     * (at most [deadline]); 504 past the deadline, 503 if canceled.
     */
    fun work(exchange: HttpExchange, registry: OperationRegistry, deadline: Duration) {
        val query = exchange.requestURI.query.orEmpty().split('&').associate { it.substringBefore('=') to it.substringAfter('=') }
        val ms = query["ms"]?.toLongOrNull() ?: 100
        val limit = query["deadline"]?.toLongOrNull()?.takeIf { it > 0 }?.milliseconds?.coerceAtMost(deadline) ?: deadline
        val (status, body) = runBlocking {
            try {
                Cancelable(name = "GET /work", timeout = limit, metadata = mapOf("ms" to ms), registry = registry)
                    .run { delay(ms.milliseconds) }
                200 to "done in $ms ms"
            } catch (e: CanceledByTimeoutException) {
                504 to "deadline exceeded: ${e.message}"
            } catch (e: OperationCanceledException) {
                503 to "canceled: ${e.reason} - ${e.message}"
            }
        }
        reply(exchange, status, "text/plain", body)
    }

    /** `GET /operations` lists the live operations of [registry]; `DELETE /operations/{id}` cancels one (404 if unknown). */
    fun operations(exchange: HttpExchange, registry: OperationRegistry) {
        val id = exchange.requestURI.path.removePrefix("/operations").removePrefix("/")
        when {
            exchange.requestMethod == "GET" && id.isEmpty() -> {
                val live = registry.list().map { mapOf("id" to it.id, "name" to it.name, "status" to it.status.toString(), "metadata" to it.metadata) }
                reply(exchange, 200, "application/json", ObjectMapper().writeValueAsString(live))
            }
            exchange.requestMethod == "DELETE" && id.isNotEmpty() ->
                if (registry.cancel(id, CancellationReason.MANUAL, "canceled over HTTP")) reply(exchange, 204, null, null)
                else reply(exchange, 404, "text/plain", "no running operation $id")
            else -> reply(exchange, 405, "text/plain", "use GET /operations or DELETE /operations/{id}")
        }
    }

    fun reply(exchange: HttpExchange, status: Int, type: String?, body: String?) {
        val bytes = body?.toByteArray() ?: ByteArray(0)
        if (type != null) exchange.responseHeaders.add("Content-Type", "$type; charset=utf-8")
        exchange.sendResponseHeaders(status, if (bytes.isEmpty()) -1 else bytes.size.toLong())
        if (bytes.isNotEmpty()) exchange.responseBody.use { it.write(bytes) }
    }
    // endregion

    // region readme:http-client
    /** Starts a minute of work on the server at [base], finds it at GET /operations, cancels it; returns its id. */
    suspend fun cancelSlowRequest(client: HttpClient, base: URI): String {
        fun request(method: String, path: String) =
            HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()).build()
        fun live() = ObjectMapper().readTree(client.send(request("GET", "/operations"), BodyHandlers.ofString()).body())

        val pending = client.sendAsync(request("GET", "/work?ms=60000"), BodyHandlers.ofString())
        var listed = live()
        while (listed.none { it["name"].asText() == "GET /work" }) {
            check(!pending.isDone) { "the slow request ended before it was listed" }
            delay(10.milliseconds)
            listed = live()
        }
        val id = listed.first { it["name"].asText() == "GET /work" }["id"].asText()
        println("GET /operations -> ${listed.size()} running: ${listed[0]["name"].asText()} (${listed[0]["status"].asText()})")
        println("DELETE /operations/$id -> ${client.send(request("DELETE", "/operations/$id"), BodyHandlers.discarding()).statusCode()}")
        val canceled = pending.join()
        println("slow request -> ${canceled.statusCode()} ${canceled.body()}")
        return id
    }
    // endregion

    @JvmStatic
    fun main(args: Array<String>): Unit = runBlocking {
        Server(OperationRegistry(), deadline = 30.seconds).use { server ->
            val client = HttpClient.newHttpClient()
            fun request(method: String, path: String) =
                HttpRequest.newBuilder(server.uri.resolve(path)).method(method, HttpRequest.BodyPublishers.noBody()).build()
            println("server on ${server.uri} (loopback only)")

            val done = client.send(request("GET", "/work?ms=50"), BodyHandlers.ofString())
            println("GET /work?ms=50 -> ${done.statusCode()} ${done.body()}")
            val late = client.send(request("GET", "/work?ms=60000&deadline=300"), BodyHandlers.ofString())
            println("GET /work?ms=60000&deadline=300 -> ${late.statusCode()} ${late.body()}")

            val id = cancelSlowRequest(client, server.uri)
            println("DELETE /operations/$id again -> ${client.send(request("DELETE", "/operations/$id"), BodyHandlers.discarding()).statusCode()}")
        }
    }
}
