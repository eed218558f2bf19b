@file:JvmName("CancellationAssertions")

package dev.cancelable.test

import dev.cancelable.OperationCanceledException
import dev.cancelable.CancellationReason
import dev.cancelable.OperationStatus
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.test.TestScope
import java.util.concurrent.CompletionException
import java.util.concurrent.ExecutionException
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds

/**
 * Runs [block] under `runTest` and asserts that it is canceled with [reason] after an amount of
 * virtual time inside [window] (both ends included); returns the [OperationCanceledException] for further
 * checks. Also checks, when the exception belongs to an operation, that the operation ended
 * CANCELED with that reason, and that the message contains [messageContains] when given.
 *
 * ```kotlin
 * @Test fun timesOut() = runTest {
 *     assertCanceledWithin(100.milliseconds..100.milliseconds, CancellationReason.TIMEOUT) {
 *         Cancelable(timeout = 100.milliseconds).run { delay(1.seconds) }
 *     }
 * }
 * ```
 *
 * @throws AssertionError if the block completes, or is canceled with another
 *   reason, message or at another time. Any other exception of the block propagates unchanged.
 * @throws IllegalArgumentException if [window] is empty (its start after its end); the block does not run.
 */
@OptIn(ExperimentalCoroutinesApi::class)
public suspend fun TestScope.assertCanceledWithin(
    window: ClosedRange<Duration>,
    reason: CancellationReason,
    messageContains: String? = null,
    block: suspend () -> Any?,
): OperationCanceledException {
    require(!window.isEmpty()) { "window must not be empty, was $window" }
    val start = testScheduler.currentTime
    val thrown = try {
        val value = block()
        val elapsed = (testScheduler.currentTime - start).milliseconds
        throw AssertionError("expected a cancellation with reason $reason within $window, but the block returned $value after $elapsed")
    } catch (e: OperationCanceledException) {
        e
    }
    val elapsed = (testScheduler.currentTime - start).milliseconds
    return thrown.checkCanceled("with reason $reason within $window", reason, messageContains) {
        if (elapsed !in window) "canceled after $elapsed of virtual time" else null
    }
}

/**
 * A block of test code that may throw anything: what the Java-shaped assertions run. Java passes a
 * lambda (`() -> op.call(task)`), Kotlin a lambda too. The assertions run it once, on the calling
 * thread; its thread-safety is the block's own.
 */
public fun interface ThrowingRunnable {
    /** Runs the block. */
    @Throws(Throwable::class)
    public fun run()
}

/**
 * Runs [block] and asserts that it ends with a [OperationCanceledException] (directly, or as the cause of
 * a `CompletionException` or `ExecutionException` from a future) whose reason is [reason]; returns
 * that exception. Also checks, when the exception belongs to an operation, that the operation ended
 * CANCELED with that reason, and that the message contains [messageContains] when given. For
 * blocking calls and futures, from Java or Kotlin; suspend code has [assertCanceledWithin].
 *
 * ```java
 * OperationCanceledException e = CancellationAssertions.assertCanceled(CancellationReason.TIMEOUT,
 *         () -> op.call(ctx -> { ctx.sleep(Duration.ofSeconds(10)); return null; }));
 * ```
 *
 * Thread-safe: runs [block] on the calling thread and keeps no state.
 *
 * @throws AssertionError if the block returns, or is canceled with another reason or message. Any
 *   other exception of the block propagates unchanged.
 */
@JvmOverloads
public fun assertCanceled(reason: CancellationReason, messageContains: String? = null, block: ThrowingRunnable): OperationCanceledException =
    runExpectingCancellation(reason, "with reason $reason", block).checkCanceled("with reason $reason", reason, messageContains) { null }

/**
 * As [assertCanceled], and also asserts that the block took at least [atLeast] and at most
 * [atMost] of wall-clock time (both ends included). A timeout never fires early, so [atLeast] can be
 * exact; give [atMost] a generous margin, since a loaded machine can be slow.
 *
 * ```java
 * CancellationAssertions.assertCanceledWithin(Duration.ofMillis(50), Duration.ofSeconds(5),
 *         CancellationReason.TIMEOUT, () -> op.call(ctx -> { ctx.sleep(Duration.ofSeconds(10)); return null; }));
 * ```
 *
 * Thread-safe: runs [block] on the calling thread and keeps no state.
 *
 * @throws IllegalArgumentException if [atLeast] is negative or after [atMost]; the block does not run.
 */
@JvmOverloads
public fun assertCanceledWithin(
    atLeast: java.time.Duration,
    atMost: java.time.Duration,
    reason: CancellationReason,
    messageContains: String? = null,
    block: ThrowingRunnable,
): OperationCanceledException {
    require(!atLeast.isNegative && atLeast <= atMost) { "atLeast must be between zero and atMost, was $atLeast..$atMost" }
    val expected = "with reason $reason within $atLeast..$atMost"
    val start = System.nanoTime()
    val thrown = runExpectingCancellation(reason, expected, block)
    val elapsed = java.time.Duration.ofNanos(System.nanoTime() - start)
    return thrown.checkCanceled(expected, reason, messageContains) {
        if (elapsed < atLeast || elapsed > atMost) "canceled after $elapsed" else null
    }
}

private fun runExpectingCancellation(reason: CancellationReason, expected: String, block: ThrowingRunnable): OperationCanceledException {
    try {
        block.run()
    } catch (e: OperationCanceledException) {
        return e
    } catch (e: CompletionException) {
        (e.cause as? OperationCanceledException)?.let { return it }
        throw e
    } catch (e: ExecutionException) {
        (e.cause as? OperationCanceledException)?.let { return it }
        throw e
    }
    throw AssertionError("expected a cancellation $expected, but the block returned normally (expected reason $reason)")
}

/** Checks reason, message, the operation's final state, and [more]; returns this exception or throws AssertionError. */
private fun OperationCanceledException.checkCanceled(
    expected: String,
    reason: CancellationReason,
    messageContains: String?,
    more: () -> String?,
): OperationCanceledException {
    fun fail(what: String): Nothing = throw AssertionError("expected a cancellation $expected: $what", this)
    if (this.reason != reason) fail("canceled with reason ${this.reason} ('$message')")
    more()?.let { fail(it) }
    if (messageContains != null && message?.contains(messageContains) != true) {
        fail("message '$message' does not contain '$messageContains'")
    }
    val final = snapshot
    if (final != null) {
        if (final.status != OperationStatus.CANCELED) fail("operation ${final.id} ended ${final.status}")
        if (final.cancelReason != reason) fail("operation ${final.id} recorded reason ${final.cancelReason}")
    }
    return this
}
