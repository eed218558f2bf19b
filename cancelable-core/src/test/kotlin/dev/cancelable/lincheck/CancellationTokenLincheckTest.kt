package dev.cancelable.lincheck

import dev.cancelable.CancellationReason
import dev.cancelable.CancellationToken
import kotlinx.coroutines.DisposableHandle
import org.jetbrains.kotlinx.lincheck.check
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Param
import org.jetbrains.lincheck.datastructures.IntGen
import org.jetbrains.lincheck.datastructures.StressOptions
import org.jetbrains.lincheck.datastructures.Validate
import org.junit.jupiter.api.Test
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReferenceArray

/**
 * Cancel, read, register and unregister on one token are linearizable: every concurrent history
 * matches some sequential order of the same calls. Callbacks run at most once, and exactly once
 * unless unregistered first: registered before the cancel, by it; after it, at once. An unregistered
 * callback frees its slot, so a live token holds exactly the registrations not yet unregistered.
 */
@Param(name = "reason", gen = IntGen::class, conf = "0:4")
class CancellationTokenLincheckTest {
    private val token = CancellationToken()

    /** One registration: its handle, how often its callback ran, whether it was unregistered. */
    private class Registration {
        @Volatile var handle: DisposableHandle? = null
        val runs = AtomicInteger()
        @Volatile var unregistered = false
    }

    // Plain slots, not a concurrent collection: the model checker explores every shared access.
    private val registrations = AtomicReferenceArray<Registration>(64)
    private val registered = AtomicInteger()
    private val unregisterCursor = AtomicInteger()

    @Operation
    fun cancel(@Param(name = "reason") reason: Int): Boolean = token.cancel(CancellationReason.entries[reason], "r$reason")

    @Operation
    fun isCanceled(): Boolean = token.isCanceled

    /** The reason; the message is set in the same step, so reading it adds no history. */
    @Operation
    fun reason(): CancellationReason? = token.reason

    /** Registers a callback; returns true if it ran at once because the token already was canceled. */
    @Operation
    fun register(): Boolean {
        val registration = Registration()
        registrations.set(registered.getAndIncrement(), registration)
        var ranHere = false
        val thread = Thread.currentThread()
        registration.handle = token.onCancelRequested {
            registration.runs.incrementAndGet()
            if (Thread.currentThread() === thread) ranHere = true
        }
        return ranHere && token.isCanceled
    }

    /** Unregisters the oldest registration not yet unregistered, if it is complete (else does nothing). */
    @Operation
    fun unregister() {
        val i = unregisterCursor.get()
        val registration = registrations.get(i) ?: return
        val handle = registration.handle ?: return
        if (!unregisterCursor.compareAndSet(i, i + 1)) return
        registration.unregistered = true
        handle.dispose()
    }

    private fun all(): List<Registration> = List(registered.get()) { registrations.get(it) }

    @Validate
    fun everyCallbackRanOnceUnlessUnregisteredFirst() {
        val registrations = all()
        for (r in registrations) check(r.runs.get() <= 1) { "a callback ran ${r.runs.get()} times" }
        if (token.isCanceled) {
            val missed = registrations.count { it.runs.get() == 0 && !it.unregistered }
            check(missed == 0) { "$missed callbacks never ran although the token is canceled and they stayed registered" }
            check(token.registrationCount == 0) { "registrations left after cancel" }
        } else {
            check(registrations.none { it.runs.get() > 0 }) { "a callback ran on a live token" }
            val live = registrations.count { !it.unregistered }
            check(token.registrationCount == live) { "${token.registrationCount} registrations held, $live expected" }
        }
    }

    @Test
    fun modelChecking() = ModelCheckingOptions().iterations(30).invocationsPerIteration(500).check(this::class)

    @Test
    fun stress() = StressOptions().iterations(30).invocationsPerIteration(500).check(this::class)
}

/**
 * A token linked to a parent: canceling either, or closing the child, is linearizable as seen on the
 * child, and whatever happens, no registration is left on the parent once the child is done.
 */
class LinkedTokenLincheckTest {
    private val parent = CancellationToken()
    private val child = CancellationToken(linkedTo = listOf(parent))

    @Operation
    fun cancelParent(): Boolean = parent.cancel(CancellationReason.SIGNAL, "parent")

    @Operation
    fun cancelChild(): Boolean = child.cancel(CancellationReason.MANUAL, "child")

    @Operation
    fun closeChild() = child.close()

    @Operation
    fun childReason(): CancellationReason? = child.reason

    @Validate
    fun noRegistrationLeftOnceTheChildIsDone() {
        if (child.isCanceled) check(parent.registrationCount == 0) { "the canceled child is still registered on its parent" }
        if (parent.isCanceled) check(child.isCanceled) { "the parent is canceled and the child is not" }
    }

    @Test
    fun modelChecking() = ModelCheckingOptions().iterations(30).invocationsPerIteration(500).check(this::class)

    @Test
    fun stress() = StressOptions().iterations(30).invocationsPerIteration(500).check(this::class)
}
