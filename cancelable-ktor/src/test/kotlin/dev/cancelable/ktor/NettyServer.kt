package dev.cancelable.ktor

import io.ktor.server.application.Application
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.embeddedServer
import io.ktor.server.netty.Netty
import io.ktor.server.netty.NettyApplicationEngine
import kotlinx.coroutines.runBlocking

/** A real Netty server on an ephemeral port of the loopback interface. */
class NettyServer(module: Application.() -> Unit) : AutoCloseable {
    private val server: EmbeddedServer<NettyApplicationEngine, NettyApplicationEngine.Configuration> =
        embeddedServer(Netty, port = 0, host = "127.0.0.1", module = module).start(wait = false)

    val port: Int = runBlocking { server.engine.resolvedConnectors().first().port }

    val base: String get() = "http://127.0.0.1:$port"

    override fun close() = server.stop(0, 2_000)
}
