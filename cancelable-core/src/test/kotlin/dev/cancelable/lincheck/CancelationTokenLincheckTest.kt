package dev.cancelable.lincheck

import dev.cancelable.CancelationReason
import dev.cancelable.CancelationToken
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

/**
 * Cancel, read, register and unregister on one token are linearizable: every concurrent history
 * matches some sequential order of the same calls. Callbacks run exactly once: registered before the
 * cancel, by it; after it, at once.
 */
@Param(name = "reason", gen = IntGen::class, conf = "0:4")
class CancelationTokenLincheckTest {
    private val token = CancelationToken()
    private val invocations = AtomicInteger()
    private val registered = AtomicInteger()
    @Volatile private var lastHandle: DisposableHandle? = null

    @Operation
    fun cancel(@Param(name = "reason") reason: Int): Boolean = token.cancel(CancelationReason.entries[reason], "r$reason")

    @Operation
    fun isCanceled(): Boolean = token.isCanceled

    @Operation
    fun reason(): CancelationReason? = token.reason

    @Operation
    fun message(): String? = token.message

    /** Registers a callback; returns true if it ran at once because the token already was canceled. */
    @Operation
    fun register(): Boolean {
        registered.incrementAndGet()
        var ranHere = false
        val thread = Thread.currentThread()
        lastHandle = token.onCancel {
            invocations.incrementAndGet()
            if (Thread.currentThread() === thread) ranHere = true
        }
        return ranHere && token.isCanceled
    }

    @Validate
    fun everyCallbackRanOnceIfCanceled() {
        if (token.isCanceled) {
            check(invocations.get() == registered.get()) { "${invocations.get()} callbacks ran for ${registered.get()} registrations" }
            check(token.registrationCount == 0) { "registrations left after cancel" }
        } else {
            check(invocations.get() == 0) { "a callback ran on a live token" }
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
    private val parent = CancelationToken()
    private val child = CancelationToken.linked(parent)

    @Operation
    fun cancelParent(): Boolean = parent.cancel(CancelationReason.SIGNAL, "parent")

    @Operation
    fun cancelChild(): Boolean = child.cancel(CancelationReason.MANUAL, "child")

    @Operation
    fun closeChild() = child.close()

    @Operation
    fun childReason(): CancelationReason? = child.reason

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
