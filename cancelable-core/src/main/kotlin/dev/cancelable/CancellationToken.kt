package dev.cancelable

import dev.cancelable.internal.HandlerList
import dev.cancelable.internal.Ids
import dev.cancelable.internal.logger
import dev.cancelable.internal.rethrowIfFatal
import kotlinx.coroutines.DisposableHandle
import kotlinx.coroutines.suspendCancellableCoroutine
import java.time.Clock
import java.time.Instant
import java.util.concurrent.atomic.AtomicReference
import java.util.function.Consumer
import kotlin.coroutines.resume

/**
 * A manual cancellation switch that any number of operations, threads and coroutines can watch.
 *
 * Canceling is non-suspending and thread-safe, and succeeds once: [cancel] returns true for exactly
 * one caller, records reason, message and time, then runs the callbacks registered with
 * [onCancelRequested] in registration order. A suspended [awaitCancel] and every operation made with
 * `Cancelable(token = ...)` see the cancel at once, from whichever thread it came. (.NET splits this
 * into a source that cancels and a token that observes; here one object does both.)
 *
 * A token linked to others (the second constructor) is canceled when any of its parents is, with reason
 * [CancellationReason.PARENT] (or the parent's own reason with `preserveReason`), and unregisters from
 * all its parents as soon as it is canceled or [closed][close]: long-lived parents never accumulate
 * dead children. Tokens compare by identity.
 *
 * ```kotlin
 * val token = CancellationToken()
 * thread { Thread.sleep(100); token.cancel(CancellationReason.MANUAL, "user pressed stop") }
 * Cancelable(token = token).run { longWork() }   // throws CanceledManuallyException at the cancel
 * ```
 *
 * All members are thread-safe.
 */
public class CancellationToken @JvmOverloads constructor(
    private val clock: Clock = Clock.systemUTC(),
) : AutoCloseable {

    private class Canceled(val reason: CancellationReason, val message: String?, val at: Instant)

    /** Id of this token: 32 lowercase hex characters, unique across processes. */
    public val id: String = Ids.next()

    private val state = AtomicReference<Canceled?>(null)
    private val callbacks = HandlerList<Consumer<CancellationToken>>()

    @Volatile
    private var parentLinks: List<DisposableHandle> = emptyList()

    /** True once [cancel] has succeeded. */
    public val isCanceled: Boolean get() = state.get() != null

    /** Why the token was canceled, or null while it is live. */
    public val reason: CancellationReason? get() = state.get()?.reason

    /** The message given to [cancel], or null. */
    public val message: String? get() = state.get()?.message

    /** When [cancel] succeeded, from this token's clock, or null while live. */
    public val canceledAt: Instant? get() = state.get()?.at

    /**
     * Cancels the token. Returns true if this call canceled it, false if it was already canceled
     * (and then changes nothing). Callbacks run on the calling thread before this returns.
     */
    public fun cancel(): Boolean = cancel(CancellationReason.MANUAL, null)

    /**
     * Cancels the token with [reason] and [message]. Returns true if this call canceled it, false if
     * it was already canceled (and then changes nothing). Callbacks run on the calling thread before
     * this returns.
     */
    public fun cancel(reason: CancellationReason, message: String?): Boolean {
        if (!state.compareAndSet(null, Canceled(reason, message, clock.instant()))) return false
        if (log.isDebugEnabled) log.debug("token {} canceled: {} {}", id, reason, message)
        unlinkFromParents()
        for (callback in callbacks.close()) invokeSafely(callback)
        return true
    }

    /** Throws the typed [OperationCanceledException] for [reason] (e.g. [CanceledManuallyException]) if canceled. */
    public fun throwIfCanceled() {
        val canceled = state.get() ?: return
        throw cancellationFor(canceled.reason, canceled.message, null)
    }

    /**
     * Suspends until the token is canceled and returns its reason; returns at once if it already
     * is. Canceling the waiting coroutine unregisters the wait.
     */
    public suspend fun awaitCancel(): CancellationReason {
        state.get()?.let { return it.reason }
        return suspendCancellableCoroutine { continuation ->
            val handle = onCancelRequested { continuation.resume(it.reason!!) }
            continuation.invokeOnCancellation { handle.dispose() }
        }
    }

    /**
     * Registers [callback] to run once when the token is canceled. If it already is, the callback
     * runs at once on this thread (a failure is logged) and the returned handle does nothing.
     * Disposing the handle unregisters the callback.
     */
    public fun onCancelRequested(callback: Consumer<CancellationToken>): DisposableHandle {
        // Once canceled (even while the canceling thread is still running the earlier callbacks),
        // a new callback runs here and now: whoever has seen the cancel sees its callback done.
        val handle = if (state.get() == null) callbacks.add(callback) else null
        if (handle != null) return handle
        invokeSafely(callback)
        return NoHandle
    }

    /** Callbacks currently registered; returns to zero once the token is canceled. */
    internal val registrationCount: Int get() = callbacks.count

    /**
     * Unregisters a linked token from its parents; the token stays usable as a plain token.
     * Does nothing for a token that is not linked.
     */
    override fun close() {
        unlinkFromParents()
    }

    private fun unlinkFromParents() {
        val links = parentLinks
        if (links.isEmpty()) return
        parentLinks = emptyList()
        links.forEach { it.dispose() }
    }

    private fun invokeSafely(callback: Consumer<CancellationToken>) {
        try {
            callback.accept(this)
        } catch (e: Throwable) {
            e.rethrowIfFatal()
            log.warn("cancel callback of token {} failed", id, e)
        }
    }

    override fun toString(): String {
        val canceled = state.get()
        return if (canceled == null) "CancellationToken(active, id=$id)"
        else "CancellationToken(canceled, reason=${canceled.reason}, id=$id)"
    }

    /**
     * A token canceled as soon as any of [linkedTo] is (at once if one already is): with reason
     * [CancellationReason.PARENT] and a message naming that token, or with its own reason and message
     * when [preserveReason] is true. It unregisters from all of them as soon as it is canceled or
     * [closed][close]. [clock] stamps its [canceledAt].
     *
     * ```kotlin
     * val request = CancellationToken(linkedTo = listOf(userStop, shutdown))
     * ```
     *
     * @throws IllegalArgumentException if [linkedTo] is empty.
     * @throws NullPointerException if a token in it is null (from Java), naming its index.
     */
    public constructor(
        linkedTo: Collection<CancellationToken>,
        preserveReason: Boolean = false,
        clock: Clock = Clock.systemUTC(),
    ) : this(clock) {
        require(linkedTo.isNotEmpty()) { "At least one token to link to is required (linkedTo is empty)" }
        // Checked before linking to any: a null found halfway must not leave the first ones linked.
        val fromJava: Collection<CancellationToken?> = linkedTo
        fromJava.forEachIndexed { i, parent -> if (parent == null) throw NullPointerException("linkedTo[$i]") }
        val links = ArrayList<DisposableHandle>(linkedTo.size)
        for (parent in linkedTo.distinct()) {
            val link = parent.onCancelRequested { p ->
                if (preserveReason) cancel(p.reason!!, p.message)
                else cancel(CancellationReason.PARENT, "Linked token ${p.id} was canceled")
            }
            links.add(link)
            if (isCanceled) break
        }
        parentLinks = links
        // A parent canceled while linking: this token was canceled before its links were stored.
        if (isCanceled) unlinkFromParents()
    }

    private companion object {
        private val log = logger("token")

        private val NoHandle = DisposableHandle { }
    }
}
