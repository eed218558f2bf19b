package dev.cancelable.examples.kotlin

import dev.cancelable.Cancelable
import dev.cancelable.currentOperation
import dev.cancelable.ktor.CancelableCalls
import dev.cancelable.ktor.CancelableClient
import dev.cancelable.ktor.CancelableRoute
import dev.cancelable.ktor.ConsoleTokens
import dev.cancelable.ktor.DeadlineHeaders
import dev.cancelable.ktor.operationsConsole
import dev.cancelable.ktor.respondCancelableTextWriter
import dev.cancelable.registry.OperationRegistry
import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import io.ktor.client.request.delete
import io.ktor.client.request.get
import io.ktor.client.request.header
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsText
import io.ktor.http.HttpHeaders
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.request.header
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds

/**
 * A Ktor server whose calls are operations, with the operations console mounted at `/cancelable`.
 * It listens on the loopback interface only. Without arguments it starts on an ephemeral port, makes
 * a few requests (one canceled from the console's API, one past its deadline, one cut stream), prints
 * what happened and stops; with `--serve` it stays up on port 8080 until the process is stopped, and
 * prints the console's address with a generated token.
 */
object KtorConsoleExample {
    // region readme:ktor-server
    /** Every call is an operation of [registry]; slow reports, a stream, and the console at /cancelable. */
    fun Application.reports(registry: OperationRegistry, console: ConsoleTokens?) {
        routing {
            install(CancelableCalls) {
                this.registry = registry
                timeout = 300.milliseconds                       // the default: 504 after 300 ms
            }
            route("/report/{id}") {
                install(CancelableRoute) { timeout = 30.seconds } // this route may take longer
                get {
                    val sections = call.request.queryParameters["sections"]?.toIntOrNull() ?: 3
                    for (section in 1..sections) {
                        delay(20.milliseconds)                    // the work; a cancel lands here
                        currentOperation()?.reportProgress("section $section of $sections")
                    }
                    val asked = call.request.header(DeadlineHeaders.REQUEST_TIMEOUT)
                    call.respondText("report ${call.parameters["id"]}: $sections sections (caller's deadline: $asked s)")
                }
            }
            get("/slow") {
                delay(10.seconds)
                call.respondText("never")
            }
            get("/stream") {
                call.respondCancelableTextWriter {
                    for (line in 1..1_000) {
                        write("reading $line\n")
                        flush()                                   // stops here once canceled
                        delay(10.milliseconds)
                    }
                }
            }
            operationsConsole("/cancelable") {
                this.registry = registry
                if (console != null) tokens(console) else tokens() // generated: printed once
            }
        }
    }
    // endregion

    // region readme:ktor-client
    /** Calls the report inside an operation with a 2 s budget: the client plugin sends the time left. */
    suspend fun reportWithin2Seconds(client: HttpClient, base: String): String =
        Cancelable(name = "dashboard", timeout = 2.seconds, registry = null).run {
            client.get("$base/report/7").bodyAsText()           // Request-Timeout: 1.99x
        }
    // endregion

    @JvmStatic
    fun main(args: Array<String>) {
        val registry = OperationRegistry()
        if ("--serve" in args) {
            println("Serving on http://127.0.0.1:8080 (loopback only); stop with Ctrl-C.")
            embeddedServer(Netty, port = 8080, host = "127.0.0.1") { reports(registry, null) }.start(wait = true)
            return
        }
        val tokens = ConsoleTokens(read = "read-" + java.util.UUID.randomUUID(), cancel = "cancel-" + java.util.UUID.randomUUID())
        val server = embeddedServer(Netty, port = 0, host = "127.0.0.1") { reports(registry, tokens) }.start(wait = false)
        try {
            runBlocking {
                val base = "http://127.0.0.1:${server.engine.resolvedConnectors().first().port}"
                println("Ktor on $base (loopback only), console at $base/cancelable")
                HttpClient(CIO) { install(CancelableClient) }.use { client -> tour(client, base, registry, tokens) }
            }
        } finally {
            server.stop(0, 1_000)
        }
    }

    private suspend fun tour(client: HttpClient, base: String, registry: OperationRegistry, tokens: ConsoleTokens) = coroutineScope {
        println("dashboard -> ${reportWithin2Seconds(client, base)}")
        client.get("$base/slow").let { println("GET /slow -> ${it.status.value} ${it.bodyAsText()}") }

        // A long report, found in the console's API and canceled there.
        val admin = "Bearer ${tokens.cancel}"
        val pending = async { client.get("$base/report/99?sections=100000") }
        var id: String? = null
        while (id == null) {
            check(!pending.isCompleted) { "the long report ended before it was listed" }
            val live = client.get("$base/cancelable/operations") { header(HttpHeaders.Authorization, admin) }.bodyAsText()
            id = Regex(""""id":"(\w+)","name":"GET /report/\{id\}"""").find(live)?.groupValues?.get(1)
            if (id == null) delay(10.milliseconds)
        }
        val csrf = Regex(""""csrf":"(\w+)"""").find(client.get("$base/cancelable/session") { header(HttpHeaders.Authorization, admin) }.bodyAsText())!!.groupValues[1]
        val asReader = client.delete("$base/cancelable/operations/$id") {
            header(HttpHeaders.Authorization, "Bearer ${tokens.read}")
            header("X-Cancelable-Csrf", csrf)
        }
        println("read-only DELETE /cancelable/operations/{id} -> ${asReader.status.value}")
        val canceled = client.delete("$base/cancelable/operations/$id") {
            header(HttpHeaders.Authorization, admin)
            header("X-Cancelable-Csrf", csrf)
        }
        println("DELETE /cancelable/operations/{id} -> ${canceled.status.value}")
        pending.await().let { println("GET /report/99 -> ${it.status.value} ${it.bodyAsText()}") }

        // A stream with a 200 ms deadline from the caller: cut, and its partial count recorded.
        val stream: HttpResponse = client.get("$base/stream") { header(DeadlineHeaders.REQUEST_TIMEOUT, "0.2") }
        val lines = runCatching { stream.bodyAsText().lines().count { it.isNotBlank() } }.getOrDefault(-1)
        println("GET /stream with Request-Timeout 0.2 -> ${stream.status.value}, client read $lines lines")

        while (registry.activeCount > 0) delay(10.milliseconds)
        println("history:")
        for (op in registry.history()) {
            val why = op.cancelReason?.let { " $it - ${op.cancelMessage}" }.orEmpty()
            println("  %-18s %-9s%s%s".format(op.name, op.status, why, op.metadata["stream.sent"]?.let { " (sent $it lines)" }.orEmpty()))
        }
    }
}
