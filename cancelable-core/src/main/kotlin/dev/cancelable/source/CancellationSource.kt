package dev.cancelable.source

import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import dev.cancelable.Cancelable
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.DisposableHandle
import java.time.Instant
import kotlin.time.Duration

/**
 * Something that can cancel an operation: a deadline, a token, a signal, a polled condition, or a
 * composition of those.
 *
 * An operation calls [attach] once when it starts running and disposes the returned handle when it
 * ends, whatever the outcome; nothing a source arms may outlive that handle. To cancel, the source
 * calls [fire]; the first source to fire wins, records its reason and message, and cancels the
 * operation. A source may be attached to several operations, one after another or at once, so keep
 * per-operation state inside [attach].
 *
 * A custom source that cancels when a file appears:
 * ```kotlin
 * class FileAppearsSource(private val path: Path) : CancellationSource("file:$path") {
 *     override fun attach(scope: SourceScope): DisposableHandle {
 *         val poller = scope.coroutineScope.launch {
 *             while (!Files.exists(path)) delay(100.milliseconds)
 *             fire(scope, CancellationReason.CONDITION, "$path appeared")
 *         }
 *         return DisposableHandle { poller.cancel() }
 *     }
 * }
 * Cancelable(name = "import", sources = listOf(FileAppearsSource(stopFile))).run { importAll() }
 * ```
 *
 * [hasFired] is safe to read from any thread; subclasses must make [attach] thread-safe.
 */
public abstract class CancellationSource(
    /** Short description used in logs and in the operation's `canceledBy`. */
    public val name: String,
) {
    @Volatile
    private var fired = false

    /** True once this source has fired for any operation it was attached to. */
    public val hasFired: Boolean get() = fired

    /**
     * Starts watching for the operation behind [scope]. Returns a handle that stops watching and
     * releases everything the source armed; the operation disposes it when it ends. Must not block.
     */
    public abstract fun attach(scope: SourceScope): DisposableHandle

    /** Fires this source into [scope] with the typed exception for [reason]; true if it won. */
    protected fun fire(scope: SourceScope, reason: CancellationReason, message: String?): Boolean {
        fired = true
        return scope.fire(this, reason, message)
    }

    /** Fires this source into [scope] with a ready-made [cancellation]; true if it won. */
    protected fun fire(scope: SourceScope, cancellation: OperationCanceledException): Boolean {
        fired = true
        return scope.fire(this, cancellation)
    }

    /**
     * When this source will fire by itself for an operation that started at [start], if it is a
     * deadline: a timeout, a composition of them, or a custom source that knows one (a transport's
     * deadline). Null (the default) for sources that fire on events. The operation's
     * [Cancelable.deadline] is the earliest of its sources' and its ancestors'; transports send it
     * downstream, so an override must be cheap and thread-safe.
     */
    public open fun deadlineFrom(start: Instant): Instant? = null

    override fun toString(): String = name
}

/**
 * What a [CancellationSource] sees of the operation it is attached to. Thread-safe: sources may fire
 * from any thread.
 */
public interface SourceScope {
    /** The operation being watched. */
    public val operation: Cancelable

    /**
     * Requests cancellation of the operation with the typed exception for [reason]. Returns true if
     * this was the first request (it then decides reason and message), false if one came first.
     */
    public fun fire(source: CancellationSource, reason: CancellationReason, message: String?): Boolean

    /** Like the other [fire], with a ready-made exception whose reason and message are recorded. */
    public fun fire(source: CancellationSource, cancellation: OperationCanceledException): Boolean

    /**
     * Runs [action] once after [delay] on the operation's clock: the coroutine dispatcher's (so
     * `kotlinx-coroutines-test` virtual time controls it) for suspend code, a shared timer thread for
     * blocking calls. The returned handle cancels it.
     */
    public fun invokeAfter(delay: Duration, action: Runnable): DisposableHandle

    /**
     * A scope for a source's own coroutines (pollers), on the operation's dispatcher. Canceled when
     * the operation ends; a failure in it never fails the operation.
     */
    public val coroutineScope: CoroutineScope
}
