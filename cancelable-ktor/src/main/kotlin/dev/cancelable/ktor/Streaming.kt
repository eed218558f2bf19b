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

    /** Counts [items] more sent items (1 by default; must not be negative). */
    public fun sent(items: Long = 1) {
        require(items >= 0) { "items must not be negative, was $items" }
        record(counter.addAndGet(items), completed = false)
    }

    internal fun record(count: Long, completed: Boolean) {
        val op = operation ?: return
        op.partialResult = PartialResult<Nothing>(count, null, completed)
        op.putMetadata(SENT, count)
    }

    internal fun complete() = record(counter.get(), completed = true)

    /** The metadata key of the count. */
    public companion object {
        /** Metadata key: the number of items a stream sent. */
        public const val SENT: String = "stream.sent"
    }
}

/**
 * Runs [block], a stream that calls [SentCounter.sent] after each item it sends, and records the
 * count in the current operation (see [SentCounter]); marks it completed if [block] returns. Inside
 * an SSE or websocket handler of a [CancelableCalls] route:
 * ```kotlin
 * sse("/ticks") {
 *     countingSent { repeat(100) { send(ServerSentEvent("tick $it")); sent(); delay(100) } }
 * }
 * ```
 */
public suspend fun <T> countingSent(block: suspend SentCounter.() -> T): T {
    val counter = SentCounter(currentOperation())
    val result = counter.block()
    counter.complete()
    return result
}

/**
 * `respondTextWriter` that counts the lines written (a line ends with `\n`) into the current
 * operation, as [countingSent] does: a cancel stops the writer at its next suspension (a `flush`
 * or a `delay`) and the count shows how far it got.
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

/** Passes everything to [target] and counts the newlines. */
internal class LineCountingWriter(private val target: Writer, private val counter: SentCounter) : Writer() {
    override fun write(cbuf: CharArray, off: Int, len: Int) {
        target.write(cbuf, off, len)
        var lines = 0L
        for (i in off until off + len) if (cbuf[i] == '\n') lines++
        if (lines > 0) counter.sent(lines)
    }

    override fun flush() = target.flush()

    override fun close() = target.close()
}
