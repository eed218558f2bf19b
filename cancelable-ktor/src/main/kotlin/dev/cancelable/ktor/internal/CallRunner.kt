package dev.cancelable.ktor.internal

import dev.cancelable.Cancelable
import dev.cancelable.CancellationReason
import dev.cancelable.OperationCanceledException
import dev.cancelable.ktor.CancelableCallsConfig
import dev.cancelable.ktor.CancelableCallsConfig.Companion.CALLER_DEADLINE_MS
import dev.cancelable.ktor.CancelableCallsConfig.Companion.CLIENT
import dev.cancelable.ktor.CancelableCallsConfig.Companion.DISCONNECTED
import dev.cancelable.ktor.CancelableCallsConfig.Companion.DISCONNECT_MESSAGE
import dev.cancelable.ktor.CancelableCallsConfig.Companion.METHOD
import dev.cancelable.ktor.CancelableCallsConfig.Companion.PATH
import dev.cancelable.ktor.CancelableCallsConfig.Companion.STATUS
import dev.cancelable.ktor.DeadlineHeaders
import io.ktor.http.ContentType
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.PipelineCall
import io.ktor.server.http.HttpRequestCloseHandlerKey
import io.ktor.server.request.httpMethod
import io.ktor.server.request.path
import io.ktor.server.response.respondText
import io.ktor.server.routing.RoutingPipelineCall
import io.ktor.server.routing.path
import io.ktor.utils.io.InternalAPI
import org.slf4j.LoggerFactory
import kotlin.time.Duration

/** Runs one call as an operation, as [dev.cancelable.ktor.CancelableCalls] describes. */
internal class CallRunner(config: CancelableCallsConfig) {
    private val registry = config.registry
    private val defaultTimeout = config.timeout?.also { require(it.isPositive()) { "timeout must be positive, was $it" } }
    private val honourDeadline = config.honourDeadlineHeaders
    private val acceptParentId = config.acceptParentId
    private val cancelOnDisconnect = config.cancelOnDisconnect
    private val timeoutStatus = config.timeoutStatus
    private val canceledStatus = config.canceledStatus
    private val disconnectStatus = config.disconnectStatus

    suspend fun run(call: PipelineCall, proceed: suspend () -> Unit) {
        val settings = call.attributes.getOrNull(RouteSettings.Key)
        if (settings?.enabled == false) return proceed()
        val method = call.request.httpMethod.value
        val pattern = (call as? RoutingPipelineCall)?.route?.path()?.ifEmpty { "/" } ?: call.request.path()
        val callerDeadline = if (honourDeadline) callerDeadline(call) else null
        val routeTimeout = settings?.timeout ?: defaultTimeout
        val timeout = listOfNotNull(routeTimeout, callerDeadline).minOrNull()
        val metadata = buildMap<String, Any?> {
            put(METHOD, method)
            put(PATH, call.request.path())
            put(CLIENT, call.request.local.remoteAddress)
            if (callerDeadline != null && callerDeadline == timeout) put(CALLER_DEADLINE_MS, callerDeadline.inWholeMilliseconds)
        }
        val parentId = if (acceptParentId) call.request.headers[DeadlineHeaders.PARENT_ID]?.let(DeadlineHeaders::parseParentId) else null
        val op = Cancelable(
            name = "$method $pattern", timeout = timeout, remoteParentId = parentId, metadata = metadata, registry = registry,
        )
        if (cancelOnDisconnect) watchDisconnect(call, op)
        try {
            op.run {
                try {
                    proceed()
                } finally {
                    call.response.status()?.let { op.putMetadata(STATUS, it.value) }
                }
            }
        } catch (e: OperationCanceledException) {
            if (e.operationId != op.id) throw e
            respondCanceled(call, op, e)
        }
    }

    private fun callerDeadline(call: PipelineCall): Duration? {
        val headers = call.request.headers
        val asked = listOfNotNull(
            headers[DeadlineHeaders.REQUEST_TIMEOUT]?.let(DeadlineHeaders::parseRequestTimeout),
            headers[DeadlineHeaders.GRPC_TIMEOUT]?.let(DeadlineHeaders::parseGrpcTimeout),
        )
        return asked.minOrNull()
    }

    @OptIn(InternalAPI::class)
    private fun watchDisconnect(call: PipelineCall, op: Cancelable) {
        val previous = call.attributes.getOrNull(HttpRequestCloseHandlerKey)
        call.attributes.put(HttpRequestCloseHandlerKey) {
            if (!op.status.isTerminal) {
                op.putMetadata(DISCONNECTED, true)
                op.cancel(CancellationReason.SIGNAL, DISCONNECT_MESSAGE)
            }
            previous?.invoke()
        }
    }

    private suspend fun respondCanceled(call: PipelineCall, op: Cancelable, e: OperationCanceledException) {
        val disconnected = op.metadata[DISCONNECTED] == true
        val status = when {
            disconnected -> disconnectStatus
            e.reason == CancellationReason.TIMEOUT -> timeoutStatus
            else -> canceledStatus
        }
        log.info("{} {} canceled ({}: {}): {}", op.name, op.id, e.reason, e.message, status.value)
        if (disconnected || call.response.isCommitted) return
        val text = if (e.reason == CancellationReason.TIMEOUT) "Deadline exceeded: ${e.message}" else "Canceled (${e.reason}): ${e.message}"
        try {
            call.respondText(text, ContentType.Text.Plain, status)
        } catch (failure: Exception) {
            log.debug("could not answer the canceled call {}", op.id, failure)
        }
    }

    private companion object {
        val log = LoggerFactory.getLogger("dev.cancelable.ktor")
    }
}
