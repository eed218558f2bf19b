package dev.cancelable.ktor

import dev.cancelable.Cancelable
import dev.cancelable.currentOperation
import dev.cancelable.flow.PartialResult
import io.ktor.http.ContentType
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.response.respondTextWriter
import java.io.Writer
import java.util.concurrent.atomic.AtomicLong

/**
 * Counts what a streaming response (a text writer, SSE events, websocket frames) has sent, into the
 * current operation: its `partialResult` is a [PartialResult] with the count (`completed` false
 * until the stream ends normally) and its metadata holds the count under [SENT]. So a stream cut by
 * a cancel shows how far it got, in the registry, its history and the console.
 *
 * Thread-safety: [sent] may be called from any thread.
 */
public class SentCounter internal constructor(private val operation: Cancelable?) {
    private val counter = AtomicLong()

    /** How many items were counted so far. */
    public val count: Long get() = counter.get()

    /**
     * Counts [items] more sent items (1 by default; must not be negative), then throws the
     * operation's cancellation if one was requested: a send that did not suspend (its buffer had
     * room) never saw the cancel, so this is where the stream stops.
     */
    public fun sent(items: Long = 1) {
        require(items >= 0) { "items must not be negative, was $items" }
        record(counter.addAndGet(items), completed = false)
        throwIfCanceled()
    }

    /** Throws the operation's cancellation if one was requested: how blocking writers stop at a cancel. */
    internal fun throwIfCanceled() {
        operation?.throwIfCanceled()
    }

    internal fun record(count: Long, completed: Boolean) {
        val op = operation ?: return
        op.partialResult = PartialResult<Nothing>(count, null, completed)
        op.putMetadata(SENT, count)
    }

    /**
     * At the end of a stream that returned: a stream whose operation was canceled meanwhile (the
     * response machinery may swallow the cancel it threw) ends canceled; otherwise it is complete.
     */
    internal fun finish() {
        val op = operation ?: return
        if (op.isCanceled) op.throwIfCanceled()
        record(counter.get(), completed = true)
    }

    /** The metadata key of the count. */
    public companion object {
        /** Metadata key: the number of items a stream sent. */
        public const val SENT: String = "stream.sent"
    }
}

/**
 * Runs [block], a stream that calls [SentCounter.sent] after each item it sends, and records the
 * count in the current operation (see [SentCounter]); marks it completed if [block] returns, unless
 * the operation was canceled meanwhile: then this throws its cancellation. Inside
 * an SSE or websocket handler of a [CancelableCalls] route:
 * ```kotlin
 * sse("/ticks") {
 *     countingSent { repeat(100) { send(ServerSentEvent("tick $it")); sent(); delay(100) } }
 * }
 * ```
 * Ktor runs a websocket session after the upgrade answer, when the call's operation has ended, so
 * give the session an operation of its own: `webSocket("/feed") { Cancelable(name = "WS /feed").run {
 * countingSent { ... } } }`.
 */
public suspend fun <T> countingSent(block: suspend SentCounter.() -> T): T {
    val counter = SentCounter(currentOperation())
    val result = counter.block()
    counter.finish()
    return result
}

/**
 * `respondTextWriter` that counts the lines written (a line ends with `\n`) into the current
 * operation, as [countingSent] does. The writer is blocking code, so a cancel stops it at its next
 * `write` or `flush` (which throw the cancellation), and the count shows how far it got.
 */
public suspend fun ApplicationCall.respondCancelableTextWriter(
    contentType: ContentType? = null,
    status: HttpStatusCode? = null,
    writer: suspend Writer.() -> Unit,
) {
    countingSent {
        val counter = this
        respondTextWriter(contentType, status) {
            LineCountingWriter(this, counter).writer()
        }
    }
}

/** Passes everything to [target], counts the newlines, and stops (throws) once the operation is canceled. */
internal class LineCountingWriter(private val target: Writer, private val counter: SentCounter) : Writer() {
    override fun write(cbuf: CharArray, off: Int, len: Int) {
        counter.throwIfCanceled()
        target.write(cbuf, off, len)
        var lines = 0L
        for (i in off until off + len) if (cbuf[i] == '\n') lines++
        if (lines > 0) counter.sent(lines)
    }

    override fun flush() {
        counter.throwIfCanceled()
        target.flush()
    }

    override fun close() = target.close()
}
