package dev.cancelable.ktor

import dev.cancelable.Cancelable
import io.ktor.client.plugins.api.ClientPlugin
import io.ktor.client.plugins.api.createClientPlugin
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.currentCoroutineContext
import java.time.Clock
import kotlin.time.toKotlinDuration

/**
 * Configuration of [CancelableClient].
 *
 * Thread-safety: not thread-safe; written during `install` only.
 */
public class CancelableClientConfig {
    /** Send the time left as [DeadlineHeaders.REQUEST_TIMEOUT] (seconds); true by default. */
    public var sendRequestTimeout: Boolean = true

    /** Send the time left as [DeadlineHeaders.GRPC_TIMEOUT] too; false by default. */
    public var sendGrpcTimeout: Boolean = false

    /** Send the operation's id as [DeadlineHeaders.PARENT_ID]; true by default. */
    public var sendParentId: Boolean = true

    /** The clock the time left is measured by (the system clock by default); the operations' deadlines come from their own. */
    public var clock: Clock = Clock.systemUTC()
}

/**
 * A Ktor client plugin that carries the current operation to the server it calls: on a request made
 * inside an operation (`currentOperation()`), it sends the time left before the operation's
 * [deadline][Cancelable.deadline] as [DeadlineHeaders.REQUEST_TIMEOUT] (and, if asked, as
 * [DeadlineHeaders.GRPC_TIMEOUT]; never negative), the operation's id as [DeadlineHeaders.PARENT_ID],
 * and cancels the request as soon as the operation is canceled (even if the request runs in another
 * coroutine). Outside an operation it does nothing.
 * ```kotlin
 * val client = HttpClient(CIO) { install(CancelableClient) }
 * Cancelable(name = "checkout", timeout = 2.seconds).run {
 *     client.get("http://inventory/reserve")       // Request-Timeout: 1.999
 * }
 * ```
 * Thread-safety: the plugin instance is shared by all requests and keeps no per-request state.
 */
public val CancelableClient: ClientPlugin<CancelableClientConfig> =
    createClientPlugin("CancelableClient", ::CancelableClientConfig) {
        val config = pluginConfig
        onRequest { request, _ ->
            val op = currentCoroutineContext()[Cancelable] ?: return@onRequest
            op.deadline?.let { deadline ->
                val left = java.time.Duration.between(config.clock.instant(), deadline).toKotlinDuration()
                if (config.sendRequestTimeout) request.headers[DeadlineHeaders.REQUEST_TIMEOUT] = DeadlineHeaders.formatRequestTimeout(left)
                if (config.sendGrpcTimeout) request.headers[DeadlineHeaders.GRPC_TIMEOUT] = DeadlineHeaders.formatGrpcTimeout(left)
            }
            if (config.sendParentId) request.headers[DeadlineHeaders.PARENT_ID] = op.id
            val job = request.executionContext
            val hook = op.onCancelRequested { job.cancel(CancellationException("operation ${op.id} canceled: ${it.message}", it)) }
            job.invokeOnCompletion { hook.dispose() }
        }
    }
