package dev.cancelable.grpc.internal

import io.grpc.Attributes
import io.grpc.ForwardingServerCall
import io.grpc.Metadata
import io.grpc.ServerCall
import io.grpc.Status

/**
 * The server call a handler sees: every method goes through one lock, so that a cancel may close the
 * call from any thread (a timer, the registry, a console) while the handler writes to it from its own.
 * Once closed, further writes and closes are dropped (the handler may not have noticed the cancel
 * yet) and [isCancelled] reports true, which stops `ServerCallStreamObserver` loops.
 *
 * [onClose] learns how the call ended when the handler closes it (not when a cancel does). A handler
 * that closes the call after a cancel was requested, but before [closeForCancel] got to it (it saw
 * the canceled Context or its interrupt first), closes it with the cancel's status, [canceledStatus].
 */
internal class GuardedServerCall<Req, Resp>(
    private val call: ServerCall<Req, Resp>,
    private val onClose: (Status) -> Unit,
    private val canceledStatus: () -> Status?,
) : ForwardingServerCall<Req, Resp>() {
    private val lock = Any()
    private var closed = false
    @Volatile private var canceledLocally = false

    override fun delegate(): ServerCall<Req, Resp> = call

    /** Closes the call for a cancel of its operation; false if the handler had already closed it. */
    fun closeForCancel(status: Status): Boolean {
        synchronized(lock) {
            if (closed) return false
            closed = true
            canceledLocally = true
            call.close(status, Metadata())
            return true
        }
    }

    override fun close(status: Status, trailers: Metadata) {
        synchronized(lock) {
            if (closed) return
            closed = true
            val canceled = canceledStatus()
            if (canceled != null) {
                canceledLocally = true
                call.close(canceled, Metadata())
                return
            }
            call.close(status, trailers)
        }
        onClose(status)
    }

    override fun sendHeaders(headers: Metadata) {
        ifOpen { call.sendHeaders(headers) }
    }

    override fun sendMessage(message: Resp) {
        ifOpen { call.sendMessage(message) }
    }

    override fun request(numMessages: Int) {
        ifOpen { call.request(numMessages) }
    }

    override fun setMessageCompression(enabled: Boolean) {
        ifOpen { call.setMessageCompression(enabled) }
    }

    override fun setCompression(compressor: String) {
        ifOpen { call.setCompression(compressor) }
    }

    override fun setOnReadyThreshold(numBytes: Int) {
        ifOpen { call.setOnReadyThreshold(numBytes) }
    }

    /** Passes [action] on to the call unless it was closed, under the lock that orders it with [close]. */
    private inline fun ifOpen(action: () -> Unit) {
        synchronized(lock) { if (!closed) action() }
    }

    override fun isReady(): Boolean = !canceledLocally && call.isReady

    override fun isCancelled(): Boolean = canceledLocally || call.isCancelled

    override fun getAttributes(): Attributes = call.attributes
}
