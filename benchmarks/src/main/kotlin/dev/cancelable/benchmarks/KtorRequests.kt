package dev.cancelable.benchmarks

import dev.cancelable.ktor.CancelableCalls
import dev.cancelable.registry.OperationRegistry
import io.ktor.client.request.get
import io.ktor.client.statement.bodyAsText
import io.ktor.server.application.install
import io.ktor.server.response.respondText
import io.ktor.server.routing.get
import io.ktor.server.routing.route
import io.ktor.server.routing.routing
import io.ktor.server.testing.TestApplication
import kotlinx.coroutines.runBlocking

/**
 * A Ktor application on Ktor's in-memory test engine (no sockets, so the plugin's cost is not lost in
 * network noise) with the same handler twice: `/plain/{id}` without the plugin, `/operation/{id}`
 * inside [CancelableCalls] with the global registry.
 */
object KtorRequests {
    const val OPS = 200

    @JvmStatic
    fun start(): TestApplication {
        val app = TestApplication {
            routing {
                get("/plain/{id}") { call.respondText("item ${call.parameters["id"]}") }
                route("/operation") {
                    install(CancelableCalls) { registry = OperationRegistry.global }
                    get("{id}") { call.respondText("item ${call.parameters["id"]}") }
                }
            }
        }
        runBlocking { app.start() }
        return app
    }

    @JvmStatic
    fun stop(app: TestApplication) = runBlocking { app.stop() }

    /** [n] requests to [path] (`/plain` or `/operation`); returns the characters read, so nothing is optimized away. */
    @JvmStatic
    fun requests(app: TestApplication, path: String, n: Int): Long = runBlocking {
        var total = 0L
        repeat(n) { total += app.client.get("$path/$it").bodyAsText().length }
        total
    }
}
